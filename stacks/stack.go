package stacks

import (
	"fmt"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/honeyhive/platform/environments"
	"github.com/honeyhive/platform/internal/tfstack"
)

// Layer names, as they appear in stack names and state keys.
const (
	LayerBootstrap     = "bootstrap"
	LayerOrchestration = "orchestration"
	LayerGlobal        = "global"
	LayerSubstrate     = "substrate"
	LayerHosting       = "hosting"
	LayerApplication   = "application"
)

// Layers lists the layers in deploy order.
var Layers = []string{LayerBootstrap, LayerOrchestration, LayerGlobal, LayerSubstrate, LayerHosting, LayerApplication}

// stackConfig holds the settings every deployable stack needs besides its
// constructs.
type stackConfig struct {
	Name   string
	Layer  string
	Region string

	// Environment names the deployment in tags and the state key; for an
	// account-wide stack it is the orchestration name.
	Environment string
	CostCentre  string

	// Account is the account of the stack's resources, whose deploy role the
	// provider assumes.
	Account environments.Account

	// Orchestration holds the stack's state.
	Orchestration environments.Orchestration

	// LocalState keeps state in a local file instead of S3, which only the
	// bootstrap stack needs, on its first deploy, before the bucket exists.
	LocalState bool

	// PlanRoleARN is the read-only role the AWS provider assumes in plan
	// mode. Empty keeps the deploy role, for accounts without a plan role:
	// the orchestration account and customers' accounts.
	PlanRoleARN string

	// StateRoleARN is the role the S3 backend assumes. Empty means the
	// orchestration deploy role, which only the orchestration account's own
	// stacks use. Every environment has a state role of its own that reaches
	// only its own state.
	StateRoleARN string
}

// newStack creates a stack with its S3 backend and default AWS provider.
func newStack(scope constructs.Construct, cfg stackConfig) (cdktf.TerraformStack, provider.AwsProvider) {
	stack := tfstack.New(scope, cfg.Name)

	if cfg.LocalState {
		// Terraform runs in cdktf.out/stacks/<name>/, which every synth
		// rewrites and `make clean` deletes, so the state file goes to the
		// project root instead (ignored by git).
		cdktf.NewLocalBackend(stack, &cdktf.LocalBackendConfig{
			Path: jsii.String("../../../terraform." + cfg.Name + ".tfstate"),
		})
	} else {
		newS3Backend(stack, cfg, inPlanMode(scope))
	}

	// Terraform 1.6.0 rejects a KMS alias ARN as the S3 backend's kms_key_id;
	// 1.6.1 fixed that. OpenTofu reads the same setting.
	stack.AddOverride(jsii.String("terraform.required_version"), jsii.String(">= 1.6.1"))

	aws := newAWSProvider(stack, "aws", "", cfg)
	return stack, aws
}

// TargetPlanRoleName is the read-only role that plans assume in each of
// HoneyHive's target accounts; the global stack creates it.
const TargetPlanRoleName = "platform-plan"

// newS3Backend keeps the stack's state in the orchestration account's state
// bucket of the stack's own region, so an S3 outage in one region does not
// block the state of another region's stacks.
//
// In plan mode the backend assumes no role: plans run as the plan role
// itself, which may read every state object but write none, so they must
// run without locking.
func newS3Backend(stack cdktf.TerraformStack, cfg stackConfig, planMode bool) {
	o := cfg.Orchestration
	stateRole := cfg.StateRoleARN
	if stateRole == "" {
		stateRole = o.DeployRoleARN()
	}
	var assumeRole *cdktf.S3BackendAssumeRoleConfig
	if !planMode {
		assumeRole = &cdktf.S3BackendAssumeRoleConfig{
			RoleArn:     jsii.String(stateRole),
			SessionName: jsii.String("terraform-state"),
		}
	}
	cdktf.NewS3Backend(stack, &cdktf.S3BackendConfig{
		Bucket:        jsii.String(o.BucketName(cfg.Region)),
		Key:           jsii.String(o.State.StateKey(cfg.Environment, cfg.Region, cfg.Layer, cfg.Name)),
		Region:        jsii.String(cfg.Region),
		Encrypt:       jsii.Bool(true),
		KmsKeyId:      jsii.String(stateKeyAliasARN(o, cfg.Region)),
		DynamodbTable: jsii.String(o.State.LockTable),
		AssumeRole:    assumeRole,
	})
}

// stateKeyAlias is the alias of the KMS key that encrypts state in every
// state region.
func stateKeyAlias(o environments.Orchestration) string {
	return o.State.BucketPrefix
}

func stateKeyAliasARN(o environments.Orchestration, region string) string {
	return fmt.Sprintf("arn:aws:kms:%s:%s:alias/%s", region, o.ID, stateKeyAlias(o))
}

// newAWSProvider configures an AWS provider that assumes the account's deploy
// role and tags everything it creates. An empty alias makes it the stack's
// default provider.
func newAWSProvider(stack cdktf.TerraformStack, id, alias string, cfg stackConfig) provider.AwsProvider {
	tags := map[string]*string{
		"environment": jsii.String(cfg.Environment),
		"layer":       jsii.String(cfg.Layer),
		"region":      jsii.String(cfg.Region),
		"managed-by":  jsii.String("cdktf"),
		"cost-centre": jsii.String(cfg.CostCentre),
		"stack":       jsii.String(cfg.Name),
	}

	// A customer's deploy role requires the external ID agreed with the
	// customer; HoneyHive's own roles need none. Plans of stacks in
	// HoneyHive's target accounts assume the read-only plan role instead.
	role := cfg.Account.DeployRoleARN()
	if cfg.PlanRoleARN != "" && inPlanMode(stack) {
		role = cfg.PlanRoleARN
	}
	assumeRole := provider.AwsProviderAssumeRole{
		RoleArn:     jsii.String(role),
		SessionName: jsii.String("cdktf-" + cfg.Name),
	}
	if cfg.Account.ExternalID != "" {
		assumeRole.ExternalId = jsii.String(cfg.Account.ExternalID)
	}

	config := &provider.AwsProviderConfig{
		Region:            jsii.String(cfg.Region),
		AllowedAccountIds: jsii.Strings(cfg.Account.ID),
		AssumeRole:        []provider.AwsProviderAssumeRole{assumeRole},
		DefaultTags:       []provider.AwsProviderDefaultTags{{Tags: &tags}},
	}
	if alias != "" {
		config.Alias = jsii.String(alias)
	}
	aws := provider.NewAwsProvider(stack, jsii.String(id), config)

	// The prebuilt bindings write the short source "aws", which Terraform
	// expands to hashicorp/aws but other tools may not. The fully qualified
	// source makes Terraform and OpenTofu resolve the same provider.
	stack.AddOverride(jsii.String("terraform.required_providers.aws.source"), jsii.String("hashicorp/aws"))
	return aws
}

// TargetPlanRoleARN returns the read-only plan role of env's target account,
// or "" for a customer's account, which has none.
func TargetPlanRoleARN(env environments.Environment) string {
	if env.Pattern.InCustomerAccount() {
		return ""
	}
	return fmt.Sprintf("arn:aws:iam::%s:role/%s", env.Accounts.Target.ID, TargetPlanRoleName)
}
