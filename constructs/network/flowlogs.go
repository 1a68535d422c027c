package network

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/cloudwatchloggroup"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawscalleridentity"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawsiampolicydocument"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawspartition"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawsregion"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/flowlog"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrole"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrolepolicy"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/honeyhive/platform/constructs/awsid"
)

// Defaults of FlowLogsConfig.
const (
	DefaultFlowLogTrafficType            = "ALL"
	DefaultFlowLogMaxAggregationInterval = 60
)

// flowLogsServicePrincipal is the service that assumes the delivery role.
const flowLogsServicePrincipal = "vpc-flow-logs.amazonaws.com"

// flowLogsRoleSuffix ends the names of the delivery role and its policy.
const flowLogsRoleSuffix = "-vpc-flow-logs"

// maxNameLength keeps "<Name>-vpc-flow-logs" within the 64 characters IAM
// allows in a role name.
const maxNameLength = 64 - len(flowLogsRoleSuffix)

var (
	namePattern = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?$`)

	flowLogTrafficTypes            = []string{"ACCEPT", "REJECT", "ALL"}
	flowLogMaxAggregationIntervals = []int{60, 600}
)

// FlowLogsConfig configures NewFlowLogs.
type FlowLogsConfig struct {
	// Name prefixes the names of the log group and the IAM role, for example
	// "prod-usw2". Lowercase letters, digits and hyphens, at most 50
	// characters. Required.
	Name string

	// VPCID is the VPC whose traffic is logged. Required.
	VPCID *string

	// RetentionDays is how long CloudWatch Logs keeps flow records, in days.
	// Required, and must be one of the periods CloudWatch Logs accepts
	// (1, 3, 5, 7, 14, 30, 60, 90, ..., 3653).
	RetentionDays int

	// KMSKeyARN is the customer-managed key that encrypts the log group. Its
	// key policy must let the regional CloudWatch Logs service principal use
	// it. Required.
	KMSKeyARN *string

	// TrafficType selects which traffic is recorded: "ACCEPT", "REJECT" or
	// "ALL". Default: DefaultFlowLogTrafficType.
	TrafficType string

	// MaxAggregationInterval is the longest time, in seconds, that a flow is
	// aggregated into one record: 60 or 600. Default:
	// DefaultFlowLogMaxAggregationInterval.
	MaxAggregationInterval int
}

func (c FlowLogsConfig) withDefaults() FlowLogsConfig {
	if c.TrafficType == "" {
		c.TrafficType = DefaultFlowLogTrafficType
	}
	if c.MaxAggregationInterval == 0 {
		c.MaxAggregationInterval = DefaultFlowLogMaxAggregationInterval
	}
	return c
}

// Validate returns every problem with the configuration, joined, or nil.
func (c FlowLogsConfig) Validate() error {
	var errs []error
	if err := validateName("FlowLogsConfig.Name", c.Name); err != nil {
		errs = append(errs, err)
	}
	if awsid.Missing(c.VPCID) {
		errs = append(errs, errors.New("network: FlowLogsConfig.VPCID is missing; pass the ID of the VPC to log"))
	}
	if err := awsid.LogRetentionDays("network: FlowLogsConfig.RetentionDays", c.RetentionDays); err != nil {
		errs = append(errs, err)
	}
	if err := awsid.KMSKeyARN("network: FlowLogsConfig.KMSKeyARN", c.KMSKeyARN); err != nil {
		errs = append(errs, err)
	}
	if !slices.Contains(flowLogTrafficTypes, c.TrafficType) {
		errs = append(errs, fmt.Errorf("network: FlowLogsConfig.TrafficType: %q is not a flow log traffic type; use %s",
			c.TrafficType, strings.Join(flowLogTrafficTypes, ", ")))
	}
	if !slices.Contains(flowLogMaxAggregationIntervals, c.MaxAggregationInterval) {
		errs = append(errs, fmt.Errorf("network: FlowLogsConfig.MaxAggregationInterval: %d seconds is not supported; use 60 or 600",
			c.MaxAggregationInterval))
	}
	return errors.Join(errs...)
}

// FlowLogs records the IP traffic of a VPC in a KMS-encrypted CloudWatch Logs
// group. The flow logs service writes through an IAM role that it can assume
// only for flow logs of this account and region.
type FlowLogs struct {
	constructs.Construct

	// LogGroupName is the log group, "/aws/vpc-flow-logs/<Name>".
	LogGroupName *string

	// LogGroupARN is the ARN of the log group, without a ":*" suffix.
	LogGroupARN *string

	// RoleARN is the role the flow logs service assumes to write records.
	RoleARN *string

	// FlowLogID is the ID of the flow log ("fl-...").
	FlowLogID *string
}

// NewFlowLogs creates a flow log for cfg.VPCID and what it writes to: the log
// group, the delivery role with its trust and permissions policies, and the
// data sources those policies read the account, partition and region from.
//
// The account ID is read from an aws_caller_identity data source instead of
// being passed in config, so the trust policy cannot name the wrong account.
// The trust policy lets vpc-flow-logs.amazonaws.com assume the role only for
// flow logs of that account in that region (aws:SourceAccount and
// aws:SourceArn), which keeps other accounts from using the role as a
// confused deputy.
//
// The role's permissions cover this log group and its streams only, with
// one exception. CloudWatch Logs does not authorize DescribeLogGroups against
// a single log group ARN, so that action is allowed on
// "arn:<partition>:logs:<region>:<account>:log-group:*". It reveals log group
// names and settings of the account in this region, but no log data. The
// role gets no logs:CreateLogGroup because the log group is created here.
//
// NOTE: the DescribeLogGroups resource pattern follows the resource ARN that
// AWS names in DescribeLogGroups access denials (":log-group::log-stream:").
// No deployment from this repository has confirmed delivery with it yet.
//
// NewFlowLogs panics if cfg is invalid after defaults are applied.
func NewFlowLogs(scope constructs.Construct, id string, cfg FlowLogsConfig) *FlowLogs {
	cfg = cfg.withDefaults()
	if err := cfg.Validate(); err != nil {
		panic(err)
	}

	c := constructs.NewConstruct(scope, jsii.String(id))

	callerIdentity := dataawscalleridentity.NewDataAwsCallerIdentity(c, jsii.String("caller_identity"), &dataawscalleridentity.DataAwsCallerIdentityConfig{})
	partition := dataawspartition.NewDataAwsPartition(c, jsii.String("partition"), &dataawspartition.DataAwsPartitionConfig{})
	region := dataawsregion.NewDataAwsRegion(c, jsii.String("region"), &dataawsregion.DataAwsRegionConfig{})
	account := callerIdentity.AccountId()

	logGroup := cloudwatchloggroup.NewCloudwatchLogGroup(c, jsii.String("log_group"), &cloudwatchloggroup.CloudwatchLogGroupConfig{
		Name:            jsii.String("/aws/vpc-flow-logs/" + cfg.Name),
		KmsKeyId:        cfg.KMSKeyARN,
		RetentionInDays: jsii.Number(float64(cfg.RetentionDays)),
		Lifecycle:       &cdktf.TerraformResourceLifecycle{PreventDestroy: jsii.Bool(true)},
	})

	trustPolicy := dataawsiampolicydocument.NewDataAwsIamPolicyDocument(c, jsii.String("role_trust_policy"), &dataawsiampolicydocument.DataAwsIamPolicyDocumentConfig{
		Statement: []dataawsiampolicydocument.DataAwsIamPolicyDocumentStatement{{
			Effect:  jsii.String("Allow"),
			Actions: jsii.Strings("sts:AssumeRole"),
			Principals: []dataawsiampolicydocument.DataAwsIamPolicyDocumentStatementPrincipals{{
				Type:        jsii.String("Service"),
				Identifiers: jsii.Strings(flowLogsServicePrincipal),
			}},
			Condition: []dataawsiampolicydocument.DataAwsIamPolicyDocumentStatementCondition{
				{
					Test:     jsii.String("StringEquals"),
					Variable: jsii.String("aws:SourceAccount"),
					Values:   &[]*string{account},
				},
				{
					Test:     jsii.String("ArnLike"),
					Variable: jsii.String("aws:SourceArn"),
					Values:   jsii.Strings(fmt.Sprintf("arn:%s:ec2:%s:%s:vpc-flow-log/*", *partition.Partition(), *region.Name(), *account)),
				},
			},
		}},
	})

	role := iamrole.NewIamRole(c, jsii.String("role"), &iamrole.IamRoleConfig{
		Name:             jsii.String(cfg.Name + flowLogsRoleSuffix),
		Description:      jsii.String("Delivers VPC flow logs of " + cfg.Name + " to CloudWatch Logs."),
		AssumeRolePolicy: trustPolicy.Json(),
	})

	permissions := dataawsiampolicydocument.NewDataAwsIamPolicyDocument(c, jsii.String("role_policy_document"), &dataawsiampolicydocument.DataAwsIamPolicyDocumentConfig{
		Statement: []dataawsiampolicydocument.DataAwsIamPolicyDocumentStatement{
			{
				Sid:    jsii.String("WriteFlowLogStreams"),
				Effect: jsii.String("Allow"),
				Actions: jsii.Strings(
					"logs:CreateLogStream",
					"logs:PutLogEvents",
					"logs:DescribeLogStreams",
				),
				Resources: jsii.Strings(*logGroup.Arn(), *logGroup.Arn()+":log-stream:*"),
			},
			{
				Sid:       jsii.String("DescribeLogGroups"),
				Effect:    jsii.String("Allow"),
				Actions:   jsii.Strings("logs:DescribeLogGroups"),
				Resources: jsii.Strings(fmt.Sprintf("arn:%s:logs:%s:%s:log-group:*", *partition.Partition(), *region.Name(), *account)),
			},
		},
	})

	iamrolepolicy.NewIamRolePolicy(c, jsii.String("role_policy"), &iamrolepolicy.IamRolePolicyConfig{
		Name:   jsii.String(cfg.Name + flowLogsRoleSuffix),
		Role:   role.Id(),
		Policy: permissions.Json(),
	})

	flowLog := flowlog.NewFlowLog(c, jsii.String("flow_log"), &flowlog.FlowLogConfig{
		VpcId:                  cfg.VPCID,
		TrafficType:            jsii.String(cfg.TrafficType),
		MaxAggregationInterval: jsii.Number(float64(cfg.MaxAggregationInterval)),
		LogDestinationType:     jsii.String("cloud-watch-logs"),
		LogDestination:         logGroup.Arn(),
		IamRoleArn:             role.Arn(),
		Tags:                   &map[string]*string{"Name": jsii.String(cfg.Name + "-vpc-flow-logs")},
	})

	return &FlowLogs{
		Construct:    c,
		LogGroupName: logGroup.Name(),
		LogGroupARN:  logGroup.Arn(),
		RoleARN:      role.Arn(),
		FlowLogID:    flowLog.Id(),
	}
}

// validateName checks a name prefix that ends up in IAM role, log group,
// subnet group and Name tag values.
func validateName(field, name string) error {
	switch {
	case name == "":
		return fmt.Errorf("network: %s is missing; set a name prefix such as %q", field, "prod-usw2")
	case len(name) > maxNameLength:
		return fmt.Errorf("network: %s: %q is %d characters long; use at most %d so the IAM role name stays within 64 characters", field, name, len(name), maxNameLength)
	case !namePattern.MatchString(name):
		return fmt.Errorf("network: %s: %q is not a valid name prefix; use lowercase letters, digits and hyphens, starting and ending with a letter or digit", field, name)
	}
	return nil
}
