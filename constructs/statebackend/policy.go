package statebackend

import "encoding/json"

type policyDocument struct {
	Version   string            `json:"Version"`
	Statement []policyStatement `json:"Statement"`
}

type policyStatement struct {
	Sid       string                       `json:"Sid"`
	Effect    string                       `json:"Effect"`
	Principal string                       `json:"Principal"`
	Action    string                       `json:"Action"`
	Resource  []string                     `json:"Resource"`
	Condition map[string]map[string]string `json:"Condition"`
}

// Statement IDs of the bucket policy.
const (
	sidDenyInsecureTransport = "DenyInsecureTransport"
	sidDenyOtherEncryption   = "DenyEncryptionOtherThanKMS"
)

// bucketPolicy returns the state bucket's policy. It contains only Deny
// statements because IAM policies in the account grant access. The denials
// apply to every principal, including the account root.
func bucketPolicy(bucketARN string) (string, error) {
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
				Condition: map[string]map[string]string{
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
				Condition: map[string]map[string]string{
					"StringNotEquals": {"s3:x-amz-server-side-encryption": "aws:kms"},
					"Null":            {"s3:x-amz-server-side-encryption": "false"},
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
