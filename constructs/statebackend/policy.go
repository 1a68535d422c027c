package statebackend

import "encoding/json"

type policyDocument struct {
	Version   string            `json:"Version"`
	Statement []policyStatement `json:"Statement"`
}

type policyStatement struct {
	Sid       string                    `json:"Sid"`
	Effect    string                    `json:"Effect"`
	Principal string                    `json:"Principal"`
	Action    string                    `json:"Action"`
	Resource  []string                  `json:"Resource"`
	Condition map[string]map[string]any `json:"Condition"`
}

// Statement IDs of the bucket policy.
const (
	sidDenyInsecureTransport = "DenyInsecureTransport"
	sidDenyOtherEncryption   = "DenyEncryptionOtherThanKMS"
	sidDenyOtherPrincipals   = "DenyPrincipalsOtherThanStateRoles"
)

// bucketPolicy returns the state bucket's policy. It contains only Deny
// statements because IAM policies in the account grant access. The denials
// apply to every principal, including the account root user.
//
// allowedRoleARNs are the only principals that the policy lets reach the
// bucket and its objects at all. Every other principal of the account is
// denied, even one whose IAM policy allows s3:*, such as AdministratorAccess.
// This cannot lock the account out: S3 always lets the root user of the
// bucket owner's account get, put and delete the bucket policy, even when
// the policy denies it, so the root user can repair a wrong list.
func bucketPolicy(bucketARN string, allowedRoleARNs []string) (string, error) {
	objects := bucketARN + "/*"
	doc := policyDocument{
		Version: "2012-10-17",
		Statement: []policyStatement{
			{
				Sid:       sidDenyInsecureTransport,
				Effect:    "Deny",
				Principal: "*",
				Action:    "s3:*",
				Resource:  []string{bucketARN, objects},
				Condition: map[string]map[string]any{
					"Bool": {"aws:SecureTransport": "false"},
				},
			},
			{
				// An upload that sets the encryption header must ask for
				// SSE-KMS. Uploads without the header get the bucket's
				// default encryption, which is SSE-KMS with the state key.
				Sid:       sidDenyOtherEncryption,
				Effect:    "Deny",
				Principal: "*",
				Action:    "s3:PutObject",
				Resource:  []string{objects},
				Condition: map[string]map[string]any{
					"StringNotEquals": {"s3:x-amz-server-side-encryption": "aws:kms"},
					"Null":            {"s3:x-amz-server-side-encryption": "false"},
				},
			},
			{
				// StringNotEquals compares whole ARNs, so a "*" in a listed
				// ARN cannot widen the list the way it would with
				// ArnNotLike. A request without aws:PrincipalArn, such as
				// an anonymous one or one that an AWS service makes as its
				// service principal, is denied too, because a negated
				// operator matches when the key is absent.
				//
				// NOTE: service-linked roles are denied as well, so AWS
				// Config, IAM Access Analyzer and Macie cannot inspect this
				// bucket. Listing such a role in AccessRoleARNs would let it
				// read the state too.
				Sid:       sidDenyOtherPrincipals,
				Effect:    "Deny",
				Principal: "*",
				Action:    "s3:*",
				Resource:  []string{bucketARN, objects},
				Condition: map[string]map[string]any{
					"StringNotEquals": {"aws:PrincipalArn": allowedRoleARNs},
				},
			},
		},
	}

	out, err := json.Marshal(doc)
	if err != nil {
		return "", err
	}
	return string(out), nil
}
