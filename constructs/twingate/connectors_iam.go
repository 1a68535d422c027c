package twingate

import (
	"encoding/json"
	"fmt"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawsiampolicydocument"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrole"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrolepolicy"
)

// trustPolicy is an IAM trust policy whose values are all known at synth
// time, so encoding/json writes it.
type trustPolicy struct {
	Version   string           `json:"Version"`
	Statement []trustStatement `json:"Statement"`
}

type trustStatement struct {
	Effect    string                       `json:"Effect"`
	Principal map[string]string            `json:"Principal"`
	Action    string                       `json:"Action"`
	Condition map[string]map[string]string `json:"Condition"`
}

// newExecutionRole creates the task execution role that ECS uses to start
// the connectors, and returns its ARN. The role may read only the given
// secrets, decrypt with the secrets key only through Secrets Manager, and
// write only to the given log group.
func newExecutionRole(scope constructs.Construct, cfg ConnectorsConfig, secretARNs []*string, logGroupARN *string) *string {
	role := iamrole.NewIamRole(scope, jsii.String("execution_role"), &iamrole.IamRoleConfig{
		Name:             jsii.String(cfg.Name + executionRoleSuffix),
		Description:      jsii.String("ECS task execution role of the Twingate connectors: reads their token secrets and writes their logs"),
		AssumeRolePolicy: jsii.String(executionTrustPolicy(cfg)),
		Tags:             nameTag(cfg.Name + executionRoleSuffix),
	})

	// The policy names resources that exist only after apply, so it is a
	// policy document data source rather than encoding/json.
	document := dataawsiampolicydocument.NewDataAwsIamPolicyDocument(scope, jsii.String("execution_role_policy_document"), &dataawsiampolicydocument.DataAwsIamPolicyDocumentConfig{
		Statement: &[]*dataawsiampolicydocument.DataAwsIamPolicyDocumentStatement{
			{
				Sid:       jsii.String("ReadConnectorTokens"),
				Effect:    jsii.String("Allow"),
				Actions:   jsii.Strings("secretsmanager:GetSecretValue"),
				Resources: &secretARNs,
			},
			{
				Sid:       jsii.String("DecryptConnectorTokens"),
				Effect:    jsii.String("Allow"),
				Actions:   jsii.Strings("kms:Decrypt"),
				Resources: &[]*string{cfg.SecretsKMSKeyARN},
				Condition: &[]*dataawsiampolicydocument.DataAwsIamPolicyDocumentStatementCondition{
					{
						Test:     jsii.String("StringEquals"),
						Variable: jsii.String("kms:ViaService"),
						Values:   jsii.Strings(fmt.Sprintf("secretsmanager.%s.%s", cfg.Region, partitionDNSSuffixes[cfg.Partition])),
					},
				},
			},
			{
				Sid:       jsii.String("WriteConnectorLogs"),
				Effect:    jsii.String("Allow"),
				Actions:   jsii.Strings("logs:CreateLogStream", "logs:PutLogEvents"),
				Resources: &[]*string{jsii.String(*logGroupARN + ":log-stream:*")},
			},
		},
	})

	iamrolepolicy.NewIamRolePolicy(scope, jsii.String("execution_role_policy"), &iamrolepolicy.IamRolePolicyConfig{
		Name:   jsii.String("connector-tokens-and-logs"),
		Role:   role.Name(),
		Policy: document.Json(),
	})
	return role.Arn()
}

// executionTrustPolicy lets ECS tasks assume the role only on behalf of
// cfg.AccountID, which guards against the confused-deputy problem.
func executionTrustPolicy(cfg ConnectorsConfig) string {
	policy := trustPolicy{
		Version: "2012-10-17",
		Statement: []trustStatement{{
			Effect:    "Allow",
			Principal: map[string]string{"Service": "ecs-tasks.amazonaws.com"},
			Action:    "sts:AssumeRole",
			Condition: map[string]map[string]string{
				"StringEquals": {"aws:SourceAccount": cfg.AccountID},
			},
		}},
	}

	out, err := json.Marshal(policy)
	if err != nil {
		panic(fmt.Sprintf("twingate: encoding the execution role trust policy: %v", err))
	}
	return string(out)
}
