package operatoraccess

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrole"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrolepolicy"

	"github.com/honeyhive/platform/constructs/awsid"
	"github.com/honeyhive/platform/constructs/iampolicy"
)

// Defaults for RoleConfig.
const (
	DefaultName              = "honeyhive-operator"
	DefaultPartition         = "aws"
	DefaultMaxSessionSeconds = 3600
)

const (
	// minSessionSeconds and maxSessionSeconds bound an IAM role's maximum
	// session duration.
	minSessionSeconds = 3600
	maxSessionSeconds = 43200
)

// supportedPartitions are the partitions the platform deploys to.
var supportedPartitions = []string{"aws", "aws-us-gov"}

// RoleConfig configures NewRole.
type RoleConfig struct {
	// Name is the IAM role name. Default: "honeyhive-operator".
	Name string

	// AccountID is the customer's account that the role is created in
	// (required).
	AccountID string

	// Region is the region of the clusters and log groups, such as
	// "us-west-2" (required).
	Region string

	// Partition is the AWS partition of the account, "aws" or "aws-us-gov".
	// Default: "aws".
	Partition string

	// TrustedRoleARN is HoneyHive's operator role, the only principal that
	// may assume this role (required). It is an exact role ARN in another
	// account of the same partition.
	TrustedRoleARN string

	// ExternalID is the external ID the customer agreed to with HoneyHive:
	// 2 to 1224 letters, digits and _+=,.@:/- characters (required).
	ExternalID string

	// ClusterNames are the EKS clusters the operators may describe (at least
	// one).
	ClusterNames []string

	// LogGroupPrefixes are the CloudWatch Logs log group name prefixes whose
	// log groups the operators may read, such as "/aws/eks/acme-usw2/" (at
	// least one). Each starts and ends with "/" and has at least two path
	// segments.
	LogGroupPrefixes []string

	// MaxSessionSeconds is the role's maximum session duration, in seconds
	// from 3600 to 43200. STS caps a session reached by role chaining at one
	// hour whatever this is set to (STS AssumeRole API reference,
	// DurationSeconds), and a session started from TrustedRoleARN's session
	// is chained. Default: 3600.
	MaxSessionSeconds int
}

func (c RoleConfig) withDefaults() RoleConfig {
	if c.Name == "" {
		c.Name = DefaultName
	}
	if c.Partition == "" {
		c.Partition = DefaultPartition
	}
	if c.MaxSessionSeconds == 0 {
		c.MaxSessionSeconds = DefaultMaxSessionSeconds
	}
	return c
}

// Validate returns every problem with c, joined, or nil.
func (c RoleConfig) Validate() error {
	var errs []error
	add := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}

	if !roleNamePattern.MatchString(c.Name) {
		add(fmt.Errorf("operatoraccess: RoleConfig.Name: %q is not a valid IAM role name; use 1 to 64 letters, digits and +=,.@_- characters", c.Name))
	}
	add(awsid.AccountID("operatoraccess: RoleConfig.AccountID", c.AccountID))
	add(awsid.Region("operatoraccess: RoleConfig.Region", c.Region))
	add(awsid.Partition("operatoraccess: RoleConfig.Partition", c.Partition, supportedPartitions...))
	add(c.validateTrustedRoleARN())
	add(validateExternalID("operatoraccess: RoleConfig.ExternalID", c.ExternalID))
	add(c.validateClusterNames())
	add(c.validateLogGroupPrefixes())
	if c.MaxSessionSeconds < minSessionSeconds || c.MaxSessionSeconds > maxSessionSeconds {
		add(fmt.Errorf("operatoraccess: RoleConfig.MaxSessionSeconds: %d is out of range; use %d to %d seconds", c.MaxSessionSeconds, minSessionSeconds, maxSessionSeconds))
	}

	// The inline policy's length depends on the other fields, so it is
	// checked only when those are valid.
	if len(errs) == 0 {
		add(c.validatePolicyLength())
	}
	return errors.Join(errs...)
}

func (c RoleConfig) validateTrustedRoleARN() error {
	const field = "operatoraccess: RoleConfig.TrustedRoleARN"
	if err := validateRoleARN(field, c.TrustedRoleARN, c.Partition, "HoneyHive's operator role"); err != nil {
		return err
	}
	if strings.HasPrefix(c.TrustedRoleARN, fmt.Sprintf("arn:%s:iam::%s:", c.Partition, c.AccountID)) {
		return fmt.Errorf("%s: %q is in the customer's account %s; use HoneyHive's operator role, which is in HoneyHive's account", field, c.TrustedRoleARN, c.AccountID)
	}
	return nil
}

func (c RoleConfig) validateClusterNames() error {
	if len(c.ClusterNames) == 0 {
		return errors.New("operatoraccess: RoleConfig.ClusterNames is empty; list the EKS clusters the operators may describe")
	}
	var errs []error
	for i, name := range c.ClusterNames {
		field := fmt.Sprintf("operatoraccess: RoleConfig.ClusterNames[%d]", i)
		if !clusterNamePattern.MatchString(name) {
			errs = append(errs, fmt.Errorf(`%s: %q is not a valid EKS cluster name; use 1 to 100 letters, digits, "-" and "_", starting with a letter or digit`, field, name))
			continue
		}
		if first := slices.Index(c.ClusterNames, name); first < i {
			errs = append(errs, fmt.Errorf("%s repeats ClusterNames[%d] (%q); remove the duplicate", field, first, name))
		}
	}
	return errors.Join(errs...)
}

func (c RoleConfig) validateLogGroupPrefixes() error {
	if len(c.LogGroupPrefixes) == 0 {
		return errors.New(`operatoraccess: RoleConfig.LogGroupPrefixes is empty; list the log group name prefixes the operators may read, such as "/aws/eks/acme-usw2/"`)
	}
	var errs []error
	for i, prefix := range c.LogGroupPrefixes {
		field := fmt.Sprintf("operatoraccess: RoleConfig.LogGroupPrefixes[%d]", i)
		if err := validateLogGroupPrefix(field, prefix); err != nil {
			errs = append(errs, err)
			continue
		}
		if first := slices.Index(c.LogGroupPrefixes, prefix); first < i {
			errs = append(errs, fmt.Errorf("%s repeats LogGroupPrefixes[%d] (%q); remove the duplicate", field, first, prefix))
		}
	}
	return errors.Join(errs...)
}

// validatePolicyLength rejects an inline policy that IAM would refuse at
// apply time because it lists too many clusters or prefixes.
func (c RoleConfig) validatePolicyLength() error {
	length := len(c.permissions().JSON())
	if length > maxInlinePolicyLength {
		return fmt.Errorf("operatoraccess: RoleConfig: the inline policy for %d clusters and %d log group prefixes is %d characters long, over IAM's limit of %d; list fewer clusters or prefixes", len(c.ClusterNames), len(c.LogGroupPrefixes), length, maxInlinePolicyLength)
	}
	return nil
}

// operatorTrustPolicy admits only trustedRoleARN, and only with externalID.
// StringEquals compares the ID exactly, so "*" and "?" in it match only
// themselves.
func operatorTrustPolicy(trustedRoleARN, externalID string) iampolicy.Document {
	return iampolicy.Document{Statements: []iampolicy.Statement{{
		Sid:       "HoneyHiveOperators",
		Principal: map[string][]string{"AWS": {trustedRoleARN}},
		Actions:   []string{"sts:AssumeRole"},
		Conditions: map[string]map[string][]string{
			"StringEquals": {"sts:ExternalId": {externalID}},
		},
	}}}
}

// permissions returns the operators' inline policy. The scoped statements
// name the exact clusters and log groups of the configuration. The unscoped
// statement contains only actions that support no resource-level
// permissions, for which IAM accepts only "*" as the resource.
//
// NOTE: the unscoped list was not checked row by row against the current IAM
// Service Authorization Reference. An action that has since gained resource
// types could be moved to a scoped statement.
func (c RoleConfig) permissions() iampolicy.Document {
	clusterARNs := make([]string, len(c.ClusterNames))
	for i, name := range c.ClusterNames {
		clusterARNs[i] = fmt.Sprintf("arn:%s:eks:%s:%s:cluster/%s", c.Partition, c.Region, c.AccountID, name)
	}

	// The trailing "*" matches every log group under the prefix, and also
	// the ":*" and ":log-stream:<name>" forms of their ARNs that some
	// CloudWatch Logs actions are authorized against.
	logGroupARNs := make([]string, len(c.LogGroupPrefixes))
	for i, prefix := range c.LogGroupPrefixes {
		logGroupARNs[i] = fmt.Sprintf("arn:%s:logs:%s:%s:log-group:%s*", c.Partition, c.Region, c.AccountID, prefix)
	}

	return iampolicy.Document{Statements: []iampolicy.Statement{
		{
			Sid:       "DescribeClusters",
			Actions:   []string{"eks:DescribeCluster"},
			Resources: clusterARNs,
		},
		{
			Sid: "ReadLogGroups",
			Actions: []string{
				"logs:DescribeLogStreams",
				"logs:FilterLogEvents",
				"logs:GetLogEvents",
				"logs:StartQuery",
			},
			Resources: logGroupARNs,
		},
		{
			Sid: "UnscopedReads",
			Actions: []string{
				// Lists cluster names only, and supports no resource-level
				// permissions.
				"eks:ListClusters",
				// Lists log group names and settings, not log events, and
				// supports no resource-level permissions.
				"logs:DescribeLogGroups",
				// Act on a Logs Insights query by its ID. StartQuery above is
				// what limits the log groups a query may read.
				"logs:GetQueryResults",
				"logs:StopQuery",
				// CloudWatch metrics support no resource-level permissions.
				"cloudwatch:GetMetricData",
				"cloudwatch:ListMetrics",
			},
			Resources: []string{"*"},
		},
	}}
}

// Role is the operator access role in the customer's account.
type Role struct {
	constructs.Construct

	// ARN is the role ARN, which HoneyHive's operators pass to
	// sts:AssumeRole together with the external ID.
	ARN *string

	// Name is the configured role name. It is a plain string, so a resource
	// that must wait for the role should refer to ARN instead.
	Name string
}

// NewRole creates the operator access role: an IAM role that only
// cfg.TrustedRoleARN may assume, and only with cfg.ExternalID, with an inline
// policy that reads the listed clusters, log groups and CloudWatch metrics.
// It panics if cfg is invalid.
func NewRole(scope constructs.Construct, id string, cfg RoleConfig) *Role {
	cfg = cfg.withDefaults()
	if err := cfg.Validate(); err != nil {
		panic(err)
	}

	c := constructs.NewConstruct(scope, jsii.String(id))

	trust := operatorTrustPolicy(cfg.TrustedRoleARN, cfg.ExternalID)
	role := iamrole.NewIamRole(c, jsii.String("role"), &iamrole.IamRoleConfig{
		Name: jsii.String(cfg.Name),
		Description: jsii.String(fmt.Sprintf(
			"Troubleshooting access for HoneyHive operators that reads EKS clusters, CloudWatch logs and metrics, assumed by %s with the agreed external ID. Delete this role to revoke the access.",
			cfg.TrustedRoleARN)),
		AssumeRolePolicy:   jsii.String(trust.JSON()),
		MaxSessionDuration: jsii.Number(float64(cfg.MaxSessionSeconds)),
		Tags:               &map[string]*string{"Name": jsii.String(cfg.Name)},
	})

	iamrolepolicy.NewIamRolePolicy(c, jsii.String("policy"), &iamrolepolicy.IamRolePolicyConfig{
		Name:   jsii.String(cfg.Name),
		Role:   role.Name(),
		Policy: jsii.String(cfg.permissions().JSON()),
	})

	return &Role{Construct: c, ARN: role.Arn(), Name: cfg.Name}
}
