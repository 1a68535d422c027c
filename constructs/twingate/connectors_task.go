package twingate

import (
	"fmt"
	"strconv"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/ecstaskdefinition"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
)

// containerName is the name of the connector container in every task.
const containerName = "connector"

// newTaskDefinition creates the Fargate task definition of connector i. The
// container gets its tokens from the connector's secret through ECS secrets,
// so they are in neither the task definition nor the environment variables
// ECS shows.
func newTaskDefinition(scope constructs.Construct, cfg ConnectorsConfig, i int, s connectorParts, executionRoleARN, logGroupName *string) ecstaskdefinition.EcsTaskDefinition {
	return ecstaskdefinition.NewEcsTaskDefinition(scope, jsii.String(fmt.Sprintf("connector_%d_task", i)), &ecstaskdefinition.EcsTaskDefinitionConfig{
		Family:                  jsii.String(fmt.Sprintf("%s-twingate-connector-%d", cfg.Name, i)),
		RequiresCompatibilities: jsii.Strings("FARGATE"),
		NetworkMode:             jsii.String("awsvpc"),
		Cpu:                     jsii.String(strconv.Itoa(cfg.CPU)),
		Memory:                  jsii.String(strconv.Itoa(cfg.Memory)),
		// The connector image is built for linux/amd64.
		RuntimePlatform: &ecstaskdefinition.EcsTaskDefinitionRuntimePlatform{
			OperatingSystemFamily: jsii.String("LINUX"),
			CpuArchitecture:       jsii.String("X86_64"),
		},
		ExecutionRoleArn:     executionRoleARN,
		ContainerDefinitions: containerDefinitions(cfg, i, s, logGroupName),
		Tags:                 nameTag(s.name),
	})
}

// containerDefinitions returns the task's container definitions as a
// Terraform jsonencode expression, because the secret ARN and log group name
// are only known at apply time.
//
// NOTE: the image comes from Docker Hub through the NAT gateways, so pulls
// count against Docker Hub's anonymous rate limit for the NAT addresses. An
// ECR pull-through cache in Image avoids that.
func containerDefinitions(cfg ConnectorsConfig, i int, s connectorParts, logGroupName *string) *string {
	secretARN := *s.secret.Arn()
	container := map[string]any{
		"name":      containerName,
		"image":     cfg.Image,
		"essential": true,
		"environment": []any{
			map[string]any{"name": "TWINGATE_NETWORK", "value": cfg.Network},
			// Labels show in the Admin Console. A Fargate task's host name
			// changes with every task, so the label carries the connector name.
			map[string]any{"name": "TWINGATE_LABEL_HOSTNAME", "value": s.name},
			map[string]any{"name": "TWINGATE_LABEL_DEPLOYED_BY", "value": "ecs-fargate"},
			// Version 2 of the connector's network event logs, written to
			// stdout and so to the log group.
			map[string]any{"name": "TWINGATE_LOG_ANALYTICS", "value": "v2"},
		},
		// "<arn>:<json key>::" selects one key of the secret's JSON value, at
		// the current version.
		"secrets": []any{
			map[string]any{"name": "TWINGATE_ACCESS_TOKEN", "valueFrom": secretARN + ":access_token::"},
			map[string]any{"name": "TWINGATE_REFRESH_TOKEN", "valueFrom": secretARN + ":refresh_token::"},
		},
		"logConfiguration": map[string]any{
			"logDriver": "awslogs",
			"options": map[string]any{
				"awslogs-group":         logGroupName,
				"awslogs-region":        cfg.Region,
				"awslogs-stream-prefix": fmt.Sprintf("connector-%d", i),
				// A slow log delivery must not stall the connector: logs are
				// buffered and, once the buffer is full, dropped.
				"mode":            "non-blocking",
				"max-buffer-size": "25m",
			},
		},
	}
	return cdktf.Fn_Jsonencode([]any{container})
}
