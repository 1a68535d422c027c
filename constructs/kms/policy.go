package kms

import (
	"encoding/json"
	"fmt"
)

// Statement IDs of the key policy. Tests and readers of the policy in the
// console find statements by these.
const (
	sidAdministration = "KeyAdministration"
	sidServiceUse     = "UseThroughAWSServices"
	sidServiceGrants  = "GrantsForAWSResources"
	sidLogsService    = "CloudWatchLogsService"
	sidAutoScaling    = "ServiceLinkedRolesEncryptedVolumes"
	sidAutoScalingGrt = "ServiceLinkedRolesEncryptedVolumeGrants"
)

// adminActions manage the key and include no use action. kms:CreateAlias
// replaces the usual kms:Create* because that wildcard also matches
// kms:CreateGrant. kms:Put* still includes kms:PutKeyPolicy, which lets an
// administrator rewrite the policy and so grant itself Decrypt. It stays
// because Terraform sets the key policy as the deploy role.
var adminActions = []string{
	"kms:CreateAlias",
	"kms:Describe*",
	"kms:Enable*",
	"kms:List*",
	"kms:Put*",
	"kms:Update*",
	"kms:Revoke*",
	"kms:Disable*",
	"kms:Get*",
	"kms:Delete*",
	"kms:TagResource",
	"kms:UntagResource",
	"kms:ScheduleKeyDeletion",
	"kms:CancelKeyDeletion",
	"kms:RotateKeyOnDemand",
}

var usageActions = []string{
	"kms:Encrypt",
	"kms:Decrypt",
	"kms:ReEncrypt*",
	"kms:GenerateDataKey*",
	"kms:DescribeKey",
}

// logsServiceActions are the actions the CloudWatch Logs user guide lists for
// its service principal.
var logsServiceActions = []string{
	"kms:Encrypt*",
	"kms:Decrypt*",
	"kms:ReEncrypt*",
	"kms:GenerateDataKey*",
	"kms:Describe*",
}

type policyDocument struct {
	Version   string            `json:"Version"`
	Statement []policyStatement `json:"Statement"`
}

type policyStatement struct {
	Sid       string                    `json:"Sid"`
	Effect    string                    `json:"Effect"`
	Principal policyPrincipal           `json:"Principal"`
	Action    []string                  `json:"Action"`
	Resource  string                    `json:"Resource"`
	Condition map[string]map[string]any `json:"Condition,omitempty"`
}

type policyPrincipal struct {
	AWS     []string `json:"AWS,omitempty"`
	Anyone  bool     `json:"-"`
	Service string   `json:"Service,omitempty"`
}

// keyPolicy returns the key policy JSON for a validated config with defaults.
// In a key policy, Resource "*" means the key the policy is attached to.
func keyPolicy(cfg KeyConfig) (string, error) {
	root := fmt.Sprintf("arn:%s:iam::%s:root", cfg.Partition, cfg.AccountID)

	viaServices := make([]string, 0, len(purposeServices[cfg.Purpose]))
	for _, service := range purposeServices[cfg.Purpose] {
		viaServices = append(viaServices, fmt.Sprintf("%s.%s.amazonaws.com", service, cfg.Region))
	}
	throughServices := map[string]map[string]any{
		"StringEquals": {
			"kms:CallerAccount": cfg.AccountID,
			"kms:ViaService":    viaServices,
		},
	}

	statements := []policyStatement{
		{
			Sid:       sidAdministration,
			Effect:    "Allow",
			Principal: policyPrincipal{AWS: uniqueStrings(append([]string{root}, cfg.AdminRoleARNs...))},
			Action:    adminActions,
			Resource:  "*",
		},
		{
			Sid:       sidServiceUse,
			Effect:    "Allow",
			Principal: policyPrincipal{AWS: []string{root}},
			Action:    usageActions,
			Resource:  "*",
			Condition: throughServices,
		},
	}

	if purposeUsesGrants[cfg.Purpose] {
		statements = append(statements, policyStatement{
			Sid:       sidServiceGrants,
			Effect:    "Allow",
			Principal: policyPrincipal{AWS: []string{root}},
			Action:    []string{"kms:CreateGrant"},
			Resource:  "*",
			Condition: map[string]map[string]any{
				"StringEquals": throughServices["StringEquals"],
				"Bool":         {"kms:GrantIsForAWSResource": true},
			},
		})
	}

	// EC2 Auto Scaling (EKS managed node groups) and EC2 Spot (spot nodes
	// Karpenter launches) create encrypted volumes through their
	// service-linked roles, whose AWS-managed policies have no KMS
	// permissions, so the key policy itself must admit them. A key policy
	// naming a role as principal fails in an account where the role does not
	// exist yet, so the roles are matched by aws:PrincipalArn instead.
	if cfg.Purpose == PurposeData {
		autoScaling := map[string]any{
			"kms:CallerAccount": cfg.AccountID,
			"aws:PrincipalArn": []string{
				fmt.Sprintf("arn:%s:iam::%s:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling", cfg.Partition, cfg.AccountID),
				fmt.Sprintf("arn:%s:iam::%s:role/aws-service-role/spot.amazonaws.com/AWSServiceRoleForEC2Spot", cfg.Partition, cfg.AccountID),
			},
		}
		statements = append(statements,
			policyStatement{
				Sid:       sidAutoScaling,
				Effect:    "Allow",
				Principal: policyPrincipal{Anyone: true},
				Action:    usageActions,
				Resource:  "*",
				Condition: map[string]map[string]any{"StringEquals": autoScaling},
			},
			policyStatement{
				Sid:       sidAutoScalingGrt,
				Effect:    "Allow",
				Principal: policyPrincipal{Anyone: true},
				Action:    []string{"kms:CreateGrant"},
				Resource:  "*",
				Condition: map[string]map[string]any{
					"StringEquals": autoScaling,
					"Bool":         {"kms:GrantIsForAWSResource": true},
				},
			},
		)
	}

	if cfg.Purpose == PurposeLogs {
		logGroups := fmt.Sprintf("arn:%s:logs:%s:%s:log-group:*", cfg.Partition, cfg.Region, cfg.AccountID)
		statements = append(statements, policyStatement{
			Sid:       sidLogsService,
			Effect:    "Allow",
			Principal: policyPrincipal{Service: fmt.Sprintf("logs.%s.amazonaws.com", cfg.Region)},
			Action:    logsServiceActions,
			Resource:  "*",
			Condition: map[string]map[string]any{
				"ArnLike": {"kms:EncryptionContext:aws:logs:arn": logGroups},
			},
		})
	}

	out, err := json.Marshal(policyDocument{Version: "2012-10-17", Statement: statements})
	if err != nil {
		return "", err
	}
	return string(out), nil
}

// MarshalJSON writes the principal; Anyone is the "*" principal, which
// statements use only together with conditions that name the caller.
func (p policyPrincipal) MarshalJSON() ([]byte, error) {
	if p.Anyone {
		return json.Marshal(map[string]string{"AWS": "*"})
	}
	type plain policyPrincipal
	return json.Marshal(plain(p))
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
