package sharedsecrets

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/honeyhive/platform/constructs/iampolicy"
)

// Statement IDs of the key and secret policies.
const (
	sidAdministration = "KeyAdministration"
	sidReaders        = "ReadersDecryptThroughSecretsManager"
	sidWriters        = "WritersEncryptThroughSecretsManager"
	sidRotation       = "RotationThroughSecretsManager"
	sidSecretReaders  = "ReadersGetSecretValue"
)

// adminActions manage the key and include no use action. They are listed one
// by one because a wildcard such as kms:Create* also matches kms:CreateGrant
// and any action KMS adds later. kms:PutKeyPolicy lets an admin rewrite the
// policy and so grant itself kms:Decrypt, but Terraform needs it to manage
// the key policy.
var adminActions = []string{
	"kms:DescribeKey",
	"kms:GetKeyPolicy",
	"kms:GetKeyRotationStatus",
	"kms:ListResourceTags",
	"kms:ListGrants",
	"kms:ListKeyPolicies",
	"kms:PutKeyPolicy",
	"kms:UpdateKeyDescription",
	"kms:EnableKey",
	"kms:DisableKey",
	"kms:EnableKeyRotation",
	"kms:DisableKeyRotation",
	"kms:RotateKeyOnDemand",
	"kms:RevokeGrant",
	"kms:TagResource",
	"kms:UntagResource",
	"kms:ScheduleKeyDeletion",
	"kms:CancelKeyDeletion",
}

// readerSecretActions are the only Secrets Manager actions the resource
// policy allows.
var readerSecretActions = []string{
	"secretsmanager:GetSecretValue",
	"secretsmanager:DescribeSecret",
}

type keyPolicyDocument struct {
	Version   string               `json:"Version"`
	Statement []keyPolicyStatement `json:"Statement"`
}

type keyPolicyStatement struct {
	Sid       string                    `json:"Sid"`
	Effect    string                    `json:"Effect"`
	Principal map[string][]string       `json:"Principal"`
	Action    []string                  `json:"Action"`
	Resource  string                    `json:"Resource"`
	Condition map[string]map[string]any `json:"Condition,omitempty"`
}

// secretARNPattern returns a StringLike pattern that matches the ARN of a
// secret named cfg.Name and of no secret with another name. Secrets Manager appends a hyphen and six
// random characters to the name, and "?" matches exactly one character.
func secretARNPattern(cfg SecretConfig) string {
	return fmt.Sprintf("arn:%s:secretsmanager:%s:%s:secret:%s-??????", cfg.Partition, cfg.Region, cfg.AccountID, cfg.Name)
}

// keyPolicy returns the key policy JSON for a validated config with
// defaults. In a key policy, Resource "*" means the key the policy is
// attached to.
//
// The use statements match the secret by ARN pattern from the encryption
// context that Secrets Manager sends, instead of the secret's ARN attribute,
// because the secret is created with this key and so cannot exist before it.
func keyPolicy(cfg SecretConfig) (string, error) {
	root := fmt.Sprintf("arn:%s:iam::%s:root", cfg.Partition, cfg.AccountID)
	throughSecretsManager := map[string]map[string]any{
		"StringEquals": {"kms:ViaService": fmt.Sprintf("secretsmanager.%s.amazonaws.com", cfg.Region)},
		"StringLike":   {"kms:EncryptionContext:SecretARN": secretARNPattern(cfg)},
	}

	statements := []keyPolicyStatement{
		{
			Sid:       sidAdministration,
			Effect:    "Allow",
			Principal: map[string][]string{"AWS": uniqueStrings(append([]string{root}, cfg.AdminRoleARNs...))},
			Action:    adminActions,
			Resource:  "*",
		},
		{
			Sid:       sidReaders,
			Effect:    "Allow",
			Principal: map[string][]string{"AWS": readerAccounts(cfg)},
			Action:    []string{"kms:Decrypt"},
			Resource:  "*",
			Condition: map[string]map[string]any{
				"StringEquals": throughSecretsManager["StringEquals"],
				"StringLike":   throughSecretsManager["StringLike"],
				"ArnEquals":    {"aws:PrincipalArn": uniqueStrings(cfg.ReaderRoleARNs)},
			},
		},
		{
			Sid:       sidWriters,
			Effect:    "Allow",
			Principal: map[string][]string{"AWS": uniqueStrings(cfg.WriterRoleARNs)},
			Action:    []string{"kms:GenerateDataKey"},
			Resource:  "*",
			Condition: throughSecretsManager,
		},
	}
	if cfg.rotates() {
		statements = append(statements, keyPolicyStatement{
			Sid:       sidRotation,
			Effect:    "Allow",
			Principal: map[string][]string{"AWS": {cfg.RotationRoleARN}},
			Action:    []string{"kms:Decrypt", "kms:GenerateDataKey"},
			Resource:  "*",
			Condition: throughSecretsManager,
		})
	}

	out, err := json.Marshal(keyPolicyDocument{Version: "2012-10-17", Statement: statements})
	if err != nil {
		return "", err
	}
	return string(out), nil
}

// secretPolicy returns the secret's resource policy, which allows the reader
// roles to read the secret at secretARN, a token.
//
// The policy has no Deny statement for other principals. Such a statement
// would also lock out the admin, writer and rotation roles, and the key
// policy already stops every principal except the readers and the rotation
// role from decrypting the value.
func secretPolicy(cfg SecretConfig, secretARN string) string {
	return iampolicy.Document{Statements: []iampolicy.Statement{{
		Sid:        sidSecretReaders,
		Principal:  map[string][]string{"AWS": readerAccounts(cfg)},
		Actions:    readerSecretActions,
		Resources:  []string{secretARN},
		Conditions: map[string]map[string][]string{"ArnEquals": {"aws:PrincipalArn": uniqueStrings(cfg.ReaderRoleARNs)}},
	}}}.JSON()
}

// readerAccounts returns the root principals of the readers' accounts.
//
// The policies name the readers' accounts and match the reader roles by
// aws:PrincipalArn instead of naming the roles as principals. KMS and
// Secrets Manager reject a policy whose principal does not exist, and the
// readers (roles of clusters in other accounts) are usually created after
// the secret.
func readerAccounts(cfg SecretConfig) []string {
	var roots []string
	for _, arn := range cfg.ReaderRoleARNs {
		parts := strings.SplitN(arn, ":", 6)
		roots = append(roots, fmt.Sprintf("arn:%s:iam::%s:root", parts[1], parts[4]))
	}
	return uniqueStrings(roots)
}

// uniqueStrings returns values without repeats, in first-seen order.
func uniqueStrings(values []string) []string {
	seen := make(map[string]bool, len(values))
	unique := make([]string, 0, len(values))
	for _, v := range values {
		if !seen[v] {
			seen[v] = true
			unique = append(unique, v)
		}
	}
	return unique
}
