package deployrole

import (
	"errors"
	"fmt"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrole"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrolepolicy"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrolepolicyattachment"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/honeyhive/platform/constructs/awsid"
	"github.com/honeyhive/platform/constructs/iampolicy"
	"github.com/honeyhive/platform/policy"
)

// Config configures a deploy role.
type Config struct {
	// Name is the role name, usually "platform-deploy" (required).
	Name string

	// AccountID is the account the role is in (required).
	AccountID string

	// TrustedAccountID is the orchestration account (required).
	TrustedAccountID string

	// TrustedRoleARNs are the only roles of TrustedAccountID that may assume
	// this one: the environment's CI deploy role (required).
	TrustedRoleARNs []string

	// TrailARN is the CloudTrail trail the role may not stop or delete.
	TrailARN string

	// BreakGlassRoleARNs are roles of AccountID itself that may also assume
	// the role, so people can still deploy when CI cannot, and can take
	// over the first deploy. Optional.
	BreakGlassRoleARNs []string
}

// Validate returns every problem with c, joined, or nil.
func (c Config) Validate() error {
	var errs []error
	if c.Name == "" {
		errs = append(errs, errors.New("deployrole: Config.Name is empty; set the deploy role's name"))
	}
	errs = append(errs,
		awsid.AccountID("deployrole: Config.AccountID", c.AccountID),
		awsid.AccountID("deployrole: Config.TrustedAccountID", c.TrustedAccountID),
	)
	if len(c.TrustedRoleARNs) == 0 {
		errs = append(errs, errors.New("deployrole: Config.TrustedRoleARNs is empty; list the CI role that deploys this account"))
	}
	for i, arn := range c.TrustedRoleARNs {
		errs = append(errs, awsid.RoleARN(fmt.Sprintf("deployrole: Config.TrustedRoleARNs[%d]", i), arn, "aws"))
	}
	for i, arn := range c.BreakGlassRoleARNs {
		errs = append(errs, awsid.RoleARN(fmt.Sprintf("deployrole: Config.BreakGlassRoleARNs[%d]", i), arn, "aws"))
	}
	if c.TrailARN == "" {
		errs = append(errs, errors.New("deployrole: Config.TrailARN is empty; name the trail the role must not stop"))
	}
	return errors.Join(errs...)
}

// Role is the deploy role.
type Role struct {
	constructs.Construct
	ARN *string
}

// New creates the deploy role. It panics if cfg is invalid.
//
// The trust names the orchestration account and admits only the listed CI
// roles through aws:PrincipalArn, so the role can be created before those
// roles exist (IAM rejects a trust that names a missing role). Terraform
// creates VPCs, clusters, IAM roles and keys, so the role has
// AdministratorAccess; an inline deny keeps it from silencing the account's
// audit trail.
//
// NOTE: AdministratorAccess is broader than the stacks need. A policy
// generated from the resource types the stacks synthesize would narrow it.
func New(scope constructs.Construct, id string, cfg Config) *Role {
	if err := cfg.Validate(); err != nil {
		panic(err)
	}

	c := constructs.NewConstruct(scope, jsii.String(id))

	trust := iampolicy.Document{Statements: []iampolicy.Statement{{
		Sid:       "OrchestrationCIRoles",
		Principal: map[string][]string{"AWS": {fmt.Sprintf("arn:aws:iam::%s:root", cfg.TrustedAccountID)}},
		Actions:   []string{"sts:AssumeRole", "sts:TagSession"},
		Conditions: map[string]map[string][]string{
			"ArnEquals": {"aws:PrincipalArn": cfg.TrustedRoleARNs},
		},
	}}}
	if len(cfg.BreakGlassRoleARNs) > 0 {
		trust.Statements = append(trust.Statements, iampolicy.Statement{
			Sid:       "BreakGlass",
			Principal: map[string][]string{"AWS": {fmt.Sprintf("arn:aws:iam::%s:root", cfg.AccountID)}},
			Actions:   []string{"sts:AssumeRole", "sts:TagSession"},
			Conditions: map[string]map[string][]string{
				"ArnEquals": {"aws:PrincipalArn": cfg.BreakGlassRoleARNs},
			},
		})
	}
	role := iamrole.NewIamRole(c, jsii.String("role"), &iamrole.IamRoleConfig{
		Name:               jsii.String(cfg.Name),
		Description:        jsii.String("Role Terraform assumes to deploy the platform"),
		AssumeRolePolicy:   jsii.String(trust.JSON()),
		MaxSessionDuration: jsii.Number(3600),
		Tags:               &map[string]*string{"Name": jsii.String(cfg.Name)},
		Lifecycle:          &cdktf.TerraformResourceLifecycle{PreventDestroy: jsii.Bool(true)},
	})

	admin := iamrolepolicyattachment.NewIamRolePolicyAttachment(c, jsii.String("administrator_access"), &iamrolepolicyattachment.IamRolePolicyAttachmentConfig{
		Role:      role.Name(),
		PolicyArn: jsii.String("arn:aws:iam::aws:policy/AdministratorAccess"),
	})
	policy.Suppress(admin, "HH-IAM-002",
		"Terraform creates every kind of resource of the platform through this role; only CI and break-glass administrators can assume it, and an inline deny keeps it from stopping the audit trail")

	deny := iampolicy.Document{Statements: []iampolicy.Statement{{
		Sid:       "KeepAuditTrail",
		Effect:    "Deny",
		Actions:   []string{"cloudtrail:StopLogging", "cloudtrail:DeleteTrail"},
		Resources: []string{cfg.TrailARN},
	}}}
	iamrolepolicy.NewIamRolePolicy(c, jsii.String("guardrails"), &iamrolepolicy.IamRolePolicyConfig{
		Name:   jsii.String(cfg.Name + "-guardrails"),
		Role:   role.Name(),
		Policy: jsii.String(deny.JSON()),
	})

	return &Role{Construct: c, ARN: role.Arn()}
}
