package stacks

import (
	"fmt"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrole"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrolepolicy"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrolepolicyattachment"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/route53zone"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/honeyhive/platform/constructs/accountbaseline"
	"github.com/honeyhive/platform/constructs/audit"
	"github.com/honeyhive/platform/constructs/backup"
	"github.com/honeyhive/platform/constructs/data"
	"github.com/honeyhive/platform/constructs/deployrole"
	"github.com/honeyhive/platform/constructs/iampolicy"
	"github.com/honeyhive/platform/constructs/kms"
	"github.com/honeyhive/platform/constructs/operatoraccess"
	"github.com/honeyhive/platform/environments"
)

// GlobalOutputs are the values the environment's regional stacks may use.
type GlobalOutputs struct {
	// PublicZoneID is the environment's public hosted zone.
	PublicZoneID *string

	// PublicZoneNameServers must be delegated to from the parent domain.
	PublicZoneNameServers *[]*string
}

// Global is the account-wide stack of one environment's target account.
type Global struct {
	Stack   cdktf.TerraformStack
	Name    string
	Outputs GlobalOutputs
}

// GlobalStackName returns the name of env's account-wide stack.
func GlobalStackName(env environments.Environment) string {
	return env.Name + "-" + LayerGlobal
}

// NewGlobal creates the account-wide stack of env in its primary region: the
// deploy role, the audit trail, backups, the account baseline and the public
// zone. In a customer's account it creates only HoneyHive's operator role and
// the backups.
func NewGlobal(scope constructs.Construct, env environments.Environment) *Global {
	name := GlobalStackName(env)
	target := env.Accounts.Target
	orchestration := env.Accounts.Orchestration
	primary := env.Primary()

	sc := stackConfig{
		Name:          name,
		Layer:         LayerGlobal,
		Region:        primary.Name,
		Environment:   env.Name,
		CostCentre:    env.CostCentre,
		Account:       target,
		Orchestration: orchestration,
		StateRoleARN:  StateRoleARN(env),
		PlanRoleARN:   TargetPlanRoleARN(env),
	}
	stack, _ := newStack(scope, sc)

	admins := []string{target.DeployRoleARN()}

	// A customer's account is the customer's to govern: its trail, its
	// account settings and the role HoneyHive deploys with are the
	// customer's. The platform adds only the operator role and the backups
	// of the data it keeps there.
	if env.Pattern.InCustomerAccount() {
		newOperatorRole(stack, env)
		newBackups(stack, env, sc, admins)
		return &Global{Stack: stack, Name: name}
	}

	trail := audit.NewTrail(stack, "audit", audit.TrailConfig{
		Name:                env.Name,
		AccountID:           target.ID,
		Region:              primary.Name,
		KMSKeyAdminRoleARNs: admins,
	})

	deployrole.New(stack, "deploy_role", deployrole.Config{
		Name:             target.DeployRoleName,
		AccountID:        target.ID,
		TrustedAccountID: orchestration.ID,
		TrustedRoleARNs:  []string{CIDeployRoleARN(orchestration, env.Name)},

		// Administrators keep a way in when CI cannot deploy, including the
		// very first deploy of this stack.
		BreakGlassRoleARNs: []string{target.AdminRoleARN()},
		TrailARN:           *trail.TrailARN,
	})
	newPlanRole(stack, env)

	ebsKey := kms.NewKey(stack, "ebs_key", kms.KeyConfig{
		Alias:         env.Name + "-ebs-default",
		Purpose:       kms.PurposeData,
		AccountID:     target.ID,
		Region:        primary.Name,
		AdminRoleARNs: admins,
	})
	accountbaseline.New(stack, "baseline", accountbaseline.Config{
		Name:         env.Name,
		AccountID:    target.ID,
		Region:       primary.Name,
		EBSKMSKeyARN: ebsKey.ARN,
	})

	newBackups(stack, env, sc, admins)

	zone := route53zone.NewRoute53Zone(stack, jsii.String("public_zone"), &route53zone.Route53ZoneConfig{
		Name:         jsii.String(env.Domain),
		Comment:      jsii.String("Public zone of " + env.Name),
		ForceDestroy: jsii.Bool(false),
		Lifecycle:    &cdktf.TerraformResourceLifecycle{PreventDestroy: jsii.Bool(true)},
	})

	out := GlobalOutputs{PublicZoneID: zone.ZoneId(), PublicZoneNameServers: zone.NameServers()}
	cdktf.NewTerraformOutput(stack, jsii.String("public_zone_id"), &cdktf.TerraformOutputConfig{Value: out.PublicZoneID})
	cdktf.NewTerraformOutput(stack, jsii.String("public_zone_name_servers"), &cdktf.TerraformOutputConfig{Value: out.PublicZoneNameServers})
	return &Global{Stack: stack, Name: name, Outputs: out}
}

// dataReads are the actions of the ReadOnlyAccess managed policy that read
// data rather than configuration. The plan role needs configuration only.
var dataReads = []string{
	"s3:GetObject", "s3:GetObjectVersion", "s3:GetObjectAttributes", "s3:GetObjectVersionAttributes",
	"dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:Scan",
	"secretsmanager:GetSecretValue", "sqs:ReceiveMessage", "kinesis:GetRecords",
	"logs:GetLogEvents", "logs:FilterLogEvents", "logs:StartQuery",
}

// newPlanRole creates the read-only role that plans assume in the target
// account: pull-request diffs and drift checks, trusted only by the
// orchestration account's plan role. It reads configuration through the
// ReadOnlyAccess managed policy, minus the actions that read data.
func newPlanRole(stack cdktf.TerraformStack, env environments.Environment) {
	o := env.Accounts.Orchestration
	trust := iampolicy.Document{Statements: []iampolicy.Statement{{
		Sid:        "PlansOfPullRequestsAndDriftChecks",
		Principal:  map[string][]string{"AWS": {fmt.Sprintf("arn:aws:iam::%s:root", o.ID)}},
		Actions:    []string{"sts:AssumeRole", "sts:TagSession"},
		Conditions: map[string]map[string][]string{"ArnEquals": {"aws:PrincipalArn": {planRoleARN(o)}}},
	}}}
	scope := constructs.NewConstruct(stack, jsii.String("plan_role"))
	role := iamrole.NewIamRole(scope, jsii.String("role"), &iamrole.IamRoleConfig{
		Name:               jsii.String(TargetPlanRoleName),
		Description:        jsii.String("Read-only role of Terraform plans from pull requests and drift checks"),
		AssumeRolePolicy:   jsii.String(trust.JSON()),
		MaxSessionDuration: jsii.Number(3600),
		Tags:               &map[string]*string{"Name": jsii.String(TargetPlanRoleName)},
	})
	iamrolepolicyattachment.NewIamRolePolicyAttachment(scope, jsii.String("read_only"), &iamrolepolicyattachment.IamRolePolicyAttachmentConfig{
		Role:      role.Name(),
		PolicyArn: jsii.String("arn:aws:iam::aws:policy/ReadOnlyAccess"),
	})
	deny := iampolicy.Document{Statements: []iampolicy.Statement{{
		Sid: "NoDataReads", Effect: "Deny", Actions: dataReads, Resources: []string{"*"},
	}}}
	iamrolepolicy.NewIamRolePolicy(scope, jsii.String("no_data_reads"), &iamrolepolicy.IamRolePolicyConfig{
		Name:   jsii.String("no-data-reads"),
		Role:   role.Name(),
		Policy: jsii.String(deny.JSON()),
	})
}

// newOperatorRole creates the role HoneyHive's operators assume, with the
// external ID the customer agreed to, to troubleshoot the deployment: it
// describes the clusters and reads their logs and metrics, nothing else.
func newOperatorRole(stack cdktf.TerraformStack, env environments.Environment) {
	op := env.Customer.Operator
	var clusters, prefixes []string
	for _, r := range env.Regions {
		cluster := ClusterName(env, r)
		clusters = append(clusters, cluster)
		prefixes = append(prefixes,
			"/aws/eks/"+cluster+"/",
			"/honeyhive/"+cluster+"/",
			"/aws/rds/cluster/"+cluster+"-platform/",
		)
	}
	operatoraccess.NewRole(stack, "operator_access", operatoraccess.RoleConfig{
		Name:             op.RoleName,
		AccountID:        env.Accounts.Target.ID,
		Region:           env.Primary().Name,
		TrustedRoleARN:   op.TrustedRoleARN,
		ExternalID:       op.ExternalID,
		ClusterNames:     clusters,
		LogGroupPrefixes: prefixes,
	})
}

// OperatorRoleARN returns the ARN of HoneyHive's operator role in env's
// customer account, or "" when env runs in HoneyHive's accounts.
func OperatorRoleARN(env environments.Environment) string {
	if !env.Pattern.InCustomerAccount() || env.Customer == nil {
		return ""
	}
	return fmt.Sprintf("arn:aws:iam::%s:role/%s", env.Accounts.Target.ID, env.Customer.Operator.RoleName)
}

// newBackups creates a vault in every region of env and a plan per region
// that backs up the environment's resources daily. The primary region copies
// its backups into the DR region's vault; other regions keep theirs local,
// so EU backups stay in the EU.
func newBackups(stack cdktf.TerraformStack, env environments.Environment, sc stackConfig, admins []string) {
	target := env.Accounts.Target
	vaults := map[string]*backup.Vault{}
	providers := map[string]cdktf.TerraformProvider{}

	regions := []environments.Region{env.Primary()}
	for _, r := range env.Regions {
		if r.Role != environments.RolePrimary {
			regions = append(regions, r)
		}
	}

	for _, region := range regions {
		var provider cdktf.TerraformProvider
		if region.Name != sc.Region {
			rc := sc
			rc.Region = region.Name
			provider = newAWSProvider(stack, "aws_"+region.Code(), region.Code(), rc)
		}
		providers[region.Name] = provider

		key := kms.NewKey(stack, "backup_key_"+region.Code(), kms.KeyConfig{
			Alias:         fmt.Sprintf("%s-%s-backup", env.Name, region.Code()),
			Purpose:       kms.PurposeData,
			AccountID:     target.ID,
			Region:        region.Name,
			AdminRoleARNs: admins,
			Provider:      provider,
		})
		vaults[region.Name] = backup.NewVault(stack, "backup_vault_"+region.Code(), backup.VaultConfig{
			Name:      fmt.Sprintf("%s-%s", env.Name, region.Code()),
			KMSKeyARN: key.ARN,
			Provider:  provider,
		})
	}

	for _, region := range regions {
		var copyTo *string
		if dr, ok := env.DRRegion(); ok && region.Role == environments.RolePrimary {
			copyTo = vaults[dr.Name].ARN
		}
		backup.NewPlan(stack, "backup_plan_"+region.Code(), backup.PlanConfig{
			Name:               fmt.Sprintf("%s-%s", env.Name, region.Code()),
			VaultName:          vaults[region.Name].NameToken,
			CopyToVaultARN:     copyTo,
			DailyRetentionDays: env.Retention.DatabaseBackupDays,
			SelectionTagKey:    data.BackupTagKey,
			SelectionTagValue:  data.BackupTagValue,
			AccountID:          target.ID,
			Provider:           providers[region.Name],
		})
	}
}
