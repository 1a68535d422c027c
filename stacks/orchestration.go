package stacks

import (
	"fmt"
	"slices"
	"strings"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrole"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrolepolicy"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/honeyhive/platform/constructs/addons"
	"github.com/honeyhive/platform/constructs/githuboidc"
	"github.com/honeyhive/platform/constructs/iampolicy"
	"github.com/honeyhive/platform/constructs/sharedsecrets"
	"github.com/honeyhive/platform/environments"
)

// PlanRoleName is the role pull requests assume to read state for reviews.
const PlanRoleName = "github-plan"

// PlanEnvironment is the GitHub environment whose jobs may assume the plan
// role; its required reviewers approve each pull request's plan.
const PlanEnvironment = environments.ReservedGitHubEnvironment

// CIDeployRoleName returns the role the GitHub environment of env assumes
// to deploy it.
func CIDeployRoleName(env string) string {
	return "github-deploy-" + env
}

// CIDeployRoleARN returns the ARN of CIDeployRoleName in the orchestration
// account.
func CIDeployRoleARN(o environments.Orchestration, env string) string {
	return fmt.Sprintf("arn:aws:iam::%s:role/%s", o.ID, CIDeployRoleName(env))
}

// StateRoleARN returns the role through which env's stacks read and write
// their state: it reaches that environment's state objects and nothing else.
func StateRoleARN(env environments.Environment) string {
	return fmt.Sprintf("arn:aws:iam::%s:role/terraform-state-%s", env.Accounts.Orchestration.ID, env.Name)
}

// envStateObjects returns, by region, the state object keys of every stack
// of env, computed with the same layout the backends use.
func envStateObjects(env environments.Environment) map[string][]string {
	keys := map[string][]string{}
	state := env.Accounts.Orchestration.State
	primary := env.Primary()
	keys[primary.Name] = append(keys[primary.Name], state.StateKey(env.Name, primary.Name, LayerGlobal, GlobalStackName(env)))
	for _, region := range env.Regions {
		for _, layer := range regionalLayers {
			keys[region.Name] = append(keys[region.Name], state.StateKey(env.Name, region.Name, layer, env.StackName(region, layer)))
		}
	}
	return keys
}

// planRoleARN returns the ARN of the plan role in the orchestration account.
func planRoleARN(o environments.Orchestration) string {
	return fmt.Sprintf("arn:aws:iam::%s:role/%s", o.ID, PlanRoleName)
}

// Orchestration is the stack of CI identities in the orchestration account.
type Orchestration struct {
	Stack cdktf.TerraformStack
	Name  string
}

// NewOrchestration creates the orchestration stack of o: the GitHub OIDC
// provider, a read-only plan role for pull requests and one deploy role per
// environment, each trusted only by that GitHub environment of the
// repository. envs are the environments that o deploys.
func NewOrchestration(scope constructs.Construct, o environments.Orchestration, envs []environments.Environment, stateRegions []string) *Orchestration {
	name := o.Name

	stack, _ := newStack(scope, stackConfig{
		Name:          name,
		Layer:         LayerOrchestration,
		Region:        o.HomeRegion,
		Environment:   o.Name,
		CostCentre:    "platform",
		Account:       o.Account,
		Orchestration: o,
	})

	provider := githuboidc.NewProvider(stack, "github", githuboidc.ProviderConfig{})

	// Pull requests and drift checks may read state, and assume the
	// read-only plan roles of HoneyHive's target accounts; no deploy role
	// trusts this one.
	githuboidc.NewRole(stack, "plan_role", githuboidc.RoleConfig{
		Name:        PlanRoleName,
		ProviderARN: provider.ARN,
		Owner:       o.GitHub.Owner,
		Repository:  o.GitHub.Repository,
		// Pull requests plan in the GitHub environment "plan" after a
		// reviewer approves, because the plan runs the pull request's code
		// with a role that reads all state. The drift check runs on a
		// schedule from the main branch.
		Subjects: []githuboidc.Subject{
			{Kind: githuboidc.SubjectEnvironment, Value: PlanEnvironment},
			{Kind: githuboidc.SubjectBranch, Value: "main"},
		},
		Policy: planPolicy(o, stateRegions, envs),
	})

	// A deploy role may only assume its environment's deploy role in the
	// target account and its environment's state role, and read the
	// Twingate API token the Twingate provider needs.
	for _, env := range envs {
		policy := &iampolicy.Document{Statements: append([]iampolicy.Statement{{
			Sid:       "AssumeDeployRoles",
			Actions:   []string{"sts:AssumeRole", "sts:TagSession"},
			Resources: []string{env.Accounts.Target.DeployRoleARN(), StateRoleARN(env)},
		}}, twingateTokenStatements(o)...)}
		githuboidc.NewRole(stack, "deploy_role_"+snakeCase(env.Name), githuboidc.RoleConfig{
			Name:        CIDeployRoleName(env.Name),
			ProviderARN: provider.ARN,
			Owner:       o.GitHub.Owner,
			Repository:  o.GitHub.Repository,
			Subjects:    []githuboidc.Subject{{Kind: githuboidc.SubjectEnvironment, Value: env.Name}},
			Policy:      policy,
		})
	}

	for _, env := range envs {
		newStateRole(stack, o, env, linkedStateObjects(env, envs))
	}

	newSharedSecrets(stack, o, envs)
	return &Orchestration{Stack: stack, Name: name}
}

// newStateRole creates env's state role. Its CI deploy role and the
// orchestration deploy role (for people) may assume it. It may read and
// write exactly the state objects and lock entries of env's stacks, so no
// environment's pipeline can touch another's state. It may also read, and
// only read, the linked state objects (by region): the hosting states of the
// other halves of env's hybrid pairs, which name their PrivateLink services.
func newStateRole(stack cdktf.TerraformStack, o environments.Orchestration, env environments.Environment, linked map[string][]string) {
	var buckets, objects, lockKeys, tables, keys []string
	for region, stateKeys := range envStateObjects(env) {
		bucket := o.BucketName(region)
		buckets = append(buckets, "arn:aws:s3:::"+bucket)
		tables = append(tables, fmt.Sprintf("arn:aws:dynamodb:%s:%s:table/%s", region, o.ID, o.State.LockTable))
		keys = append(keys, fmt.Sprintf("arn:aws:kms:%s:%s:key/*", region, o.ID))
		for _, key := range stateKeys {
			objects = append(objects, "arn:aws:s3:::"+bucket+"/"+key)
			// The S3 backend's lock entry and its checksum entry.
			lockKeys = append(lockKeys, bucket+"/"+key, bucket+"/"+key+"-md5")
		}
	}
	slices.Sort(buckets)
	slices.Sort(objects)
	slices.Sort(lockKeys)
	slices.Sort(tables)
	slices.Sort(keys)

	trust := iampolicy.Document{Statements: []iampolicy.Statement{{
		Sid:       "DeployersOfThisEnvironment",
		Principal: map[string][]string{"AWS": {fmt.Sprintf("arn:aws:iam::%s:root", o.ID)}},
		Actions:   []string{"sts:AssumeRole", "sts:TagSession"},
		Conditions: map[string]map[string][]string{
			"ArnEquals": {"aws:PrincipalArn": {CIDeployRoleARN(o, env.Name), o.DeployRoleARN()}},
		},
	}}}
	policy := iampolicy.Document{Statements: []iampolicy.Statement{
		{Sid: "ListStateBuckets", Actions: []string{"s3:ListBucket"}, Resources: buckets},
		{Sid: "StateObjects", Actions: []string{"s3:GetObject", "s3:PutObject", "s3:DeleteObject"}, Resources: objects},
		{
			Sid:        "StateLocks",
			Actions:    []string{"dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"},
			Resources:  tables,
			Conditions: map[string]map[string][]string{"ForAllValues:StringEquals": {"dynamodb:LeadingKeys": lockKeys}},
		},
		{
			Sid:        "StateKeys",
			Actions:    []string{"kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey"},
			Resources:  keys,
			Conditions: map[string]map[string][]string{"ForAnyValue:StringEquals": {"kms:ResourceAliases": {"alias/" + stateKeyAlias(o)}}},
		},
	}}

	var linkedObjects []string
	for region, keys := range linked {
		for _, key := range keys {
			linkedObjects = append(linkedObjects, "arn:aws:s3:::"+o.BucketName(region)+"/"+key)
		}
	}
	if len(linkedObjects) > 0 {
		slices.Sort(linkedObjects)
		policy.Statements = append(policy.Statements, iampolicy.Statement{
			Sid: "ReadLinkedState", Actions: []string{"s3:GetObject"}, Resources: linkedObjects,
		})
	}

	name := "terraform-state-" + env.Name
	role := iamrole.NewIamRole(stack, jsii.String("state_role_"+snakeCase(env.Name)), &iamrole.IamRoleConfig{
		Name:             jsii.String(name),
		Description:      jsii.String("Reads and writes the Terraform state of " + env.Name),
		AssumeRolePolicy: jsii.String(trust.JSON()),
		Tags:             &map[string]*string{"Name": jsii.String(name)},
	})
	iamrolepolicy.NewIamRolePolicy(stack, jsii.String("state_role_"+snakeCase(env.Name)+"_policy"), &iamrolepolicy.IamRolePolicyConfig{
		Name:   jsii.String(name),
		Role:   role.Name(),
		Policy: jsii.String(policy.JSON()),
	})
}

// SharedSecretsPrefix starts the names of the secrets kept once in the
// orchestration account for every environment.
const SharedSecretsPrefix = "platform/"

// newSharedSecrets creates the platform's shared secrets, each readable only
// by the roles that need it: the Twingate API token by the CI deploy roles,
// which run the Twingate provider, and the others by the External Secrets
// operator of every cluster in HoneyHive's accounts. Clusters in customers'
// accounts get none: the customer administers the reading role there and
// could make it read HoneyHive's credentials. Values are set outside
// Terraform.
func newSharedSecrets(stack cdktf.TerraformStack, o environments.Orchestration, envs []environments.Environment) {
	// The plan role runs the Twingate provider too, in plans.
	ciRoles := []string{planRoleARN(o)}
	var operators []string
	for _, env := range envs {
		ciRoles = append(ciRoles, CIDeployRoleARN(o, env.Name))
		if env.Pattern.InCustomerAccount() {
			continue
		}
		for _, region := range env.Regions {
			operators = append(operators, fmt.Sprintf("arn:aws:iam::%s:role/%s",
				env.Accounts.Target.ID, addons.ExternalSecretsRoleName(ClusterName(env, region))))
		}
	}

	secrets := []struct {
		id, name, description string
		readers               []string
	}{
		{"twingate_api_token", "twingate-api-token", "Twingate API token the CI deploy roles pass to the Twingate provider", ciRoles},
		{"argocd_repository", "argocd-repository", "Credentials Argo CD uses to read the GitOps repository", operators},
		{"grafana_oauth_client", "grafana-oauth-client", "OAuth client Grafana signs users in with", operators},
	}
	for _, s := range secrets {
		// An orchestration account that deploys only into customers'
		// accounts has no cluster that may read the cluster secrets.
		if len(s.readers) == 0 {
			continue
		}
		sharedsecrets.NewSecret(stack, "shared_"+s.id, sharedsecrets.SecretConfig{
			Name:           SharedSecretsPrefix + s.name,
			Description:    s.description,
			AccountID:      o.ID,
			Region:         o.HomeRegion,
			ReaderRoleARNs: s.readers,
			AdminRoleARNs:  []string{o.DeployRoleARN()},
		})
	}
}

// twingateTokenStatements allow reading the Twingate API token, which the
// Twingate provider needs to plan and to deploy.
func twingateTokenStatements(o environments.Orchestration) []iampolicy.Statement {
	token := fmt.Sprintf("arn:aws:secretsmanager:%s:%s:secret:%stwingate-api-token-??????", o.HomeRegion, o.ID, SharedSecretsPrefix)
	return []iampolicy.Statement{
		{
			Sid:       "ReadTwingateToken",
			Actions:   []string{"secretsmanager:GetSecretValue"},
			Resources: []string{token},
		},
		{
			Sid:       "DecryptTwingateToken",
			Actions:   []string{"kms:Decrypt"},
			Resources: []string{fmt.Sprintf("arn:aws:kms:%s:%s:key/*", o.HomeRegion, o.ID)},
			Conditions: map[string]map[string][]string{
				"StringEquals": {"kms:ViaService": {"secretsmanager." + o.HomeRegion + ".amazonaws.com"}},
				"StringLike":   {"kms:EncryptionContext:SecretARN": {token}},
			},
		},
	}
}

// planPolicy is the plan role's policy: read every state object, assume the
// read-only plan role of each of HoneyHive's target accounts, and read the
// Twingate token the Twingate provider needs even to plan.
func planPolicy(o environments.Orchestration, regions []string, envs []environments.Environment) *iampolicy.Document {
	policy := stateReadPolicy(o, regions)
	var planRoles []string
	for _, env := range envs {
		if arn := TargetPlanRoleARN(env); arn != "" {
			planRoles = append(planRoles, arn)
		}
	}
	if len(planRoles) > 0 {
		policy.Statements = append(policy.Statements, iampolicy.Statement{
			Sid:       "AssumeTargetPlanRoles",
			Actions:   []string{"sts:AssumeRole", "sts:TagSession"},
			Resources: planRoles,
		})
	}
	policy.Statements = append(policy.Statements, twingateTokenStatements(o)...)
	return policy
}

// stateReadPolicy allows reading the Terraform state in every state region.
// The state keys are found by their alias, because the bootstrap stack
// creates them and their IDs are not known here.
//
// NOTE: the stacks' S3 backends assume the orchestration deploy role, which
// can also write. A pull request that runs `cdktf diff` with this role needs
// a backend without that assume_role (for example through
// `terraform init -backend-config`); nothing sets that up yet.
func stateReadPolicy(o environments.Orchestration, regions []string) *iampolicy.Document {
	var buckets, objects, tables, keys []string
	for _, region := range regions {
		bucket := "arn:aws:s3:::" + o.BucketName(region)
		buckets = append(buckets, bucket)
		objects = append(objects, bucket+"/*")
		tables = append(tables, fmt.Sprintf("arn:aws:dynamodb:%s:%s:table/%s", region, o.ID, o.State.LockTable))
		keys = append(keys, fmt.Sprintf("arn:aws:kms:%s:%s:key/*", region, o.ID))
	}

	objectActions := []string{"s3:GetObject"}
	keyActions := []string{"kms:Decrypt", "kms:DescribeKey"}

	return &iampolicy.Document{Statements: []iampolicy.Statement{
		{Sid: "ListStateBuckets", Actions: []string{"s3:ListBucket"}, Resources: buckets},
		{Sid: "StateObjects", Actions: objectActions, Resources: objects},
		{
			// Reading the lock table shows whether an apply is running;
			// pull requests cannot take or break a lock, so they plan with
			// -lock=false.
			Sid:       "StateLocks",
			Actions:   []string{"dynamodb:DescribeTable", "dynamodb:GetItem"},
			Resources: tables,
		},
		{
			Sid:       "StateKeys",
			Actions:   keyActions,
			Resources: keys,
			Conditions: map[string]map[string][]string{
				"ForAnyValue:StringEquals": {"kms:ResourceAliases": {"alias/" + stateKeyAlias(o)}},
			},
		},
	}}
}

// snakeCase turns a name with hyphens, such as an environment's, into a
// construct ID part: Terraform names read best, and scanners expect them,
// in snake case.
func snakeCase(name string) string {
	return strings.ReplaceAll(name, "-", "_")
}
