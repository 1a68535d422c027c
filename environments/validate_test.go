package environments

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBundledEnvironmentsAreValid(t *testing.T) {
	require.NoError(t, Validate(All()))
}

func TestBundledEnvironmentShapes(t *testing.T) {
	envs := All()
	require.Len(t, envs, 6)

	regionNames := func(e Environment) []string {
		var names []string
		for _, r := range e.Regions {
			names = append(names, r.Name+"/"+string(r.Role))
		}
		return names
	}
	assert.Equal(t, []string{"us-west-2/primary"}, regionNames(envs[0]))
	assert.Equal(t, []string{"us-west-2/primary", "us-east-1/dr"}, regionNames(envs[1]))
	assert.Equal(t, []string{"us-west-2/primary", "us-east-1/dr", "eu-west-1/expansion"}, regionNames(envs[2]))

	assert.Equal(t, 2, envs[0].Sizes.AvailabilityZones, "test runs two AZs")
	assert.Equal(t, NATSingle, envs[0].Sizes.NATGateways, "test shares one NAT gateway")
	for _, e := range envs[1:3] {
		assert.Equal(t, 3, e.Sizes.AvailabilityZones, e.Name)
		assert.Equal(t, NATPerAZ, e.Sizes.NATGateways, e.Name)
	}
}

func TestWithDefaultsFillsUnsetFields(t *testing.T) {
	e := Environment{}.WithDefaults()

	assert.Equal(t, DefaultDeployRoleName, e.Accounts.Target.DeployRoleName)
	assert.Equal(t, DefaultDeployRoleName, e.Accounts.Orchestration.DeployRoleName)
	assert.Equal(t, "us-west-2", e.Accounts.Orchestration.HomeRegion)
	assert.Equal(t, DefaultStateKeyLayout, e.Accounts.Orchestration.State.KeyLayout)
	assert.Equal(t, 3, e.Sizes.AvailabilityZones)
	assert.Equal(t, NATPerAZ, e.Sizes.NATGateways)
}

func TestWithDefaultsKeepsSetFields(t *testing.T) {
	e := Test()
	e.Accounts.Orchestration.State.KeyLayout = "{stack}.tfstate"
	e = e.WithDefaults()

	assert.Equal(t, "{stack}.tfstate", e.Accounts.Orchestration.State.KeyLayout)
	assert.Equal(t, 2, e.Sizes.AvailabilityZones)
}

func TestStateKeyLayouts(t *testing.T) {
	cases := []struct {
		layout string
		want   string
	}{
		{DefaultStateKeyLayout, "prod/us-west-2/substrate/terraform.tfstate"},
		{"{env}/{region_code}/{layer}.tfstate", "prod/usw2/substrate.tfstate"},
		{"stacks/{stack}.tfstate", "stacks/prod-usw2-substrate.tfstate"},
	}
	for _, c := range cases {
		t.Run(c.layout, func(t *testing.T) {
			s := StateConfig{KeyLayout: c.layout}
			assert.Equal(t, c.want, s.StateKey("prod", "us-west-2", "substrate", "prod-usw2-substrate"))
		})
	}
}

func TestStackNameAndZoneName(t *testing.T) {
	prod := Prod().WithDefaults()
	eu, ok := prod.Region("euw1")
	require.True(t, ok)

	assert.Equal(t, "prod-euw1-substrate", prod.StackName(eu, "substrate"))
	assert.Equal(t, "euw1.internal.prod.honeyhive.ai", prod.PrivateZoneName(eu))
	assert.Equal(t, "honeyhive-tfstate-100000000001-eu-west-1", prod.Accounts.Orchestration.BucketName("eu-west-1"))
}

// setOrchestration applies change to the orchestration definition of every
// environment, so that they still share one definition.
func setOrchestration(envs []Environment, change func(o *Orchestration)) {
	for i := range envs {
		change(&envs[i].Accounts.Orchestration)
	}
}

// longDomain is a valid 246-character domain: its private zone names, such
// as "usw2.internal.<domain>", are 260 characters.
var longDomain = strings.Repeat(strings.Repeat("a", 60)+".", 4) + "ai"

// TestValidateRejects changes one field of an otherwise valid set of
// environments and checks that validation names the environment (or the
// orchestration definition), the field and the problem.
func TestValidateRejects(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(envs []Environment)
		env    string
		// orchestration is set instead of env for a problem in the shared
		// orchestration definition.
		orchestration string
		field         string
		want          string
		// fix, when set, must appear in the error's Fix.
		fix string
	}{
		{
			name:   "overlap within an environment",
			mutate: func(envs []Environment) { envs[2].Regions[1].VPCCIDR = "10.30.128.0/17" },
			env:    "prod", field: "Regions[1].VPCCIDR", want: "overlaps 10.30.0.0/16 of Regions[0]",
		},
		{
			name:   "overlap across environments",
			mutate: func(envs []Environment) { envs[1].Regions[1].VPCCIDR = "10.10.0.0/16" },
			env:    "stage", field: "Regions[1].VPCCIDR",
			want: `10.10.0.0/16 (environment "stage", field Regions[1].VPCCIDR, region us-east-1) overlaps 10.10.0.0/16 (environment "test", field Regions[0].VPCCIDR, region us-west-2)`,
			fix:  `Regions[0].VPCCIDR of environment "test"`,
		},
		{
			name:   "malformed target account",
			mutate: func(envs []Environment) { envs[0].Accounts.Target.ID = "12345" },
			env:    "test", field: "Accounts.Target.ID", want: `"12345" is not an AWS account ID`,
		},
		{
			name:   "account with letters",
			mutate: func(envs []Environment) { envs[0].Accounts.Target.ID = "12345678901a" },
			env:    "test", field: "Accounts.Target.ID", want: "is not an AWS account ID",
		},
		{
			name:          "malformed orchestration account",
			mutate:        func(envs []Environment) { setOrchestration(envs, func(o *Orchestration) { o.ID = "orchestration" }) },
			orchestration: "orchestration", field: "Accounts.Orchestration.ID", want: "is not an AWS account ID",
		},
		{
			name:   "target account is the orchestration account",
			mutate: func(envs []Environment) { envs[1].Accounts.Target.ID = placeholderOrchestrationAccount },
			env:    "stage", field: "Accounts.Target.ID", want: `"100000000001" is also the orchestration account`,
			fix: "keep state and workloads in separate accounts",
		},
		{
			name:   "unknown region",
			mutate: func(envs []Environment) { envs[0].Regions[0].Name = "us-west-9" },
			env:    "test", field: "Regions[0].Name", want: `unknown region "us-west-9"`,
		},
		{
			name:   "region code as region name",
			mutate: func(envs []Environment) { envs[0].Regions[0].Name = "usw2" },
			env:    "test", field: "Regions[0].Name", want: `"usw2" is the code of region us-west-2, not a region name`,
			fix: `use the region name "us-west-2"`,
		},
		{
			name:   "region code duplicating a region name",
			mutate: func(envs []Environment) { envs[1].Regions[1].Name = "usw2" },
			env:    "stage", field: "Regions[1].Name", want: `region "us-west-2" is already listed as Regions[0]`,
		},
		{
			name:          "region code as home region",
			mutate:        func(envs []Environment) { setOrchestration(envs, func(o *Orchestration) { o.HomeRegion = "euw1" }) },
			orchestration: "orchestration", field: "Accounts.Orchestration.HomeRegion", want: `"euw1" is the code of region eu-west-1`,
			fix: `use the region name "eu-west-1"`,
		},
		{
			name:   "domain too long for the private zone names",
			mutate: func(envs []Environment) { envs[0].Domain = longDomain },
			env:    "test", field: "Domain", want: "is 260 characters, above the DNS maximum of 253",
			fix: "at most 239 characters",
		},
		{
			name: "duplicate region",
			mutate: func(envs []Environment) {
				envs[1].Regions[1].Name = "us-west-2"
			},
			env: "stage", field: "Regions[1].Name", want: `region "us-west-2" is already listed as Regions[0]`,
		},
		{
			name:   "DR region without a primary",
			mutate: func(envs []Environment) { envs[1].Regions[0].Role = RoleExpansion },
			env:    "stage", field: "Regions", want: `no region has the role "primary"`,
		},
		{
			name:   "two primaries",
			mutate: func(envs []Environment) { envs[1].Regions[1].Role = RolePrimary },
			env:    "stage", field: "Regions", want: `2 regions have the role "primary"`,
		},
		{
			name:   "DR region outside the primary's jurisdiction",
			mutate: func(envs []Environment) { envs[2].Regions[2].Role = RoleDR },
			env:    "prod", field: "Regions[2].Role", want: "replicated data may not leave its jurisdiction",
		},
		{
			name:   "invalid DNS name",
			mutate: func(envs []Environment) { envs[0].Domain = "Test_Env.honeyhive.ai" },
			env:    "test", field: "Domain", want: `"Test_Env.honeyhive.ai" is not a valid DNS name`,
		},
		{
			name:   "single-label domain",
			mutate: func(envs []Environment) { envs[0].Domain = "localhost" },
			env:    "test", field: "Domain", want: "is not a valid DNS name",
		},
		{
			name:   "name that cannot form a stack name",
			mutate: func(envs []Environment) { envs[0].Name = "Test Env" },
			env:    "Test Env", field: "Name", want: `"Test Env" cannot form a stack name`,
		},
		{
			name:   "name with a double hyphen",
			mutate: func(envs []Environment) { envs[0].Name = "acme--eu" },
			env:    "acme--eu", field: "Name", want: "cannot form a stack name",
		},
		{
			name:   "duplicate environment name",
			mutate: func(envs []Environment) { envs[1].Name = "test" },
			env:    "test", field: "Name", want: "has the same name as number 1",
		},
		{
			name:   "CIDR that is not a range",
			mutate: func(envs []Environment) { envs[0].Regions[0].VPCCIDR = "10.10.0.0" },
			env:    "test", field: "Regions[0].VPCCIDR", want: `"10.10.0.0" is not a CIDR range`,
		},
		{
			name:   "CIDR with host bits",
			mutate: func(envs []Environment) { envs[0].Regions[0].VPCCIDR = "10.10.1.0/16" },
			env:    "test", field: "Regions[0].VPCCIDR", want: "has host bits set",
		},
		{
			name:   "CIDR too large",
			mutate: func(envs []Environment) { envs[0].Regions[0].VPCCIDR = "10.0.0.0/8" },
			env:    "test", field: "Regions[0].VPCCIDR", want: "has the wrong size",
		},
		{
			name:   "public CIDR",
			mutate: func(envs []Environment) { envs[0].Regions[0].VPCCIDR = "8.8.0.0/16" },
			env:    "test", field: "Regions[0].VPCCIDR", want: "is not a private (RFC 1918) range",
		},
		{
			name:   "unknown pattern",
			mutate: func(envs []Environment) { envs[0].Pattern = "everything" },
			env:    "test", field: "Pattern", want: `unknown deployment pattern "everything"`,
		},
		{
			name:   "pattern needs a component that is off",
			mutate: func(envs []Environment) { envs[0].Components.GitOps = false },
			env:    "test", field: "Components.GitOps", want: `the "full-stack" pattern needs GitOps, which is off`,
		},
		{
			name:   "Twingate on without a network",
			mutate: func(envs []Environment) { envs[0].TwingateNetwork = "" },
			env:    "test", field: "TwingateNetwork", want: "is not a Twingate network name",
		},
		{
			name:   "retention CloudWatch rejects",
			mutate: func(envs []Environment) { envs[0].Retention.FlowLogDays = 10 },
			env:    "test", field: "Retention.FlowLogDays", want: "10 days is not a CloudWatch Logs retention period",
		},
		{
			name:   "backup window out of range",
			mutate: func(envs []Environment) { envs[2].Retention.DatabaseBackupDays = 36 },
			env:    "prod", field: "Retention.DatabaseBackupDays", want: "36 days is out of range",
		},
		{
			name:   "node group out of order",
			mutate: func(envs []Environment) { envs[0].Sizes.SystemNodes.Desired = 9 },
			env:    "test", field: "Sizes.SystemNodes", want: "Min 2, Desired 9, Max 3 are out of order",
		},
		{
			name:   "one availability zone",
			mutate: func(envs []Environment) { envs[0].Sizes.AvailabilityZones = 1 },
			env:    "test", field: "Sizes.AvailabilityZones", want: "1 availability zones is not supported",
		},
		{
			name: "unknown state key placeholder",
			mutate: func(envs []Environment) {
				setOrchestration(envs, func(o *Orchestration) { o.State.KeyLayout = "{env}/{zone}/{layer}/{region}.tfstate" })
			},
			orchestration: "orchestration", field: "Accounts.Orchestration.State.KeyLayout", want: "unknown placeholder {zone}",
		},
		{
			name: "state key layout that is not unique",
			mutate: func(envs []Environment) {
				setOrchestration(envs, func(o *Orchestration) { o.State.KeyLayout = "{env}/terraform.tfstate" })
			},
			orchestration: "orchestration", field: "Accounts.Orchestration.State.KeyLayout", want: "would give two stacks the same state key",
		},
		{
			name: "state key layout ending with a slash",
			mutate: func(envs []Environment) {
				setOrchestration(envs, func(o *Orchestration) { o.State.KeyLayout = "{stack}/" })
			},
			orchestration: "orchestration", field: "Accounts.Orchestration.State.KeyLayout", want: `layout "{stack}/" ends with a slash`,
		},
		{
			name: "state key layout with a leading space",
			mutate: func(envs []Environment) {
				setOrchestration(envs, func(o *Orchestration) { o.State.KeyLayout = " {stack}.tfstate" })
			},
			orchestration: "orchestration", field: "Accounts.Orchestration.State.KeyLayout", want: "starts or ends with a space",
		},
		{
			name: "state key layout in the workspace prefix",
			mutate: func(envs []Environment) {
				setOrchestration(envs, func(o *Orchestration) { o.State.KeyLayout = "env:/{stack}.tfstate" })
			},
			orchestration: "orchestration", field: "Accounts.Orchestration.State.KeyLayout", want: `starts with "env:"`,
		},
		{
			name:   "environment named like the orchestration",
			mutate: func(envs []Environment) { envs[2].Name = "orchestration" },
			env:    "orchestration", field: "Name",
			want: `"orchestration" is also the name of the orchestration account that environments "test", "stage", "orchestration", "acme", "globex-cp", "globex" use`,
		},
		{
			name:   "orchestration defined two ways",
			mutate: func(envs []Environment) { envs[2].Accounts.Orchestration.ID = "100000000009" },
			env:    "prod", field: "Accounts.Orchestration", want: `orchestration "orchestration" is defined differently by environment "test"`,
		},
		{
			name:   "two environments in one account",
			mutate: func(envs []Environment) { envs[1].Accounts.Target.ID = envs[0].Accounts.Target.ID },
			env:    "stage", field: "Accounts.Target.ID", want: `account 100000000002 already hosts environment "test"`,
		},
		{
			name: "wildcard GitHub repository",
			mutate: func(envs []Environment) {
				setOrchestration(envs, func(o *Orchestration) { o.GitHub.Repository = "*" })
			},
			orchestration: "orchestration", field: "Accounts.Orchestration.GitHub.Repository", want: `"*" is not a GitHub repository name`,
		},
		{
			name: "wildcard GitHub owner",
			mutate: func(envs []Environment) {
				setOrchestration(envs, func(o *Orchestration) { o.GitHub.Owner = "honey*" })
			},
			orchestration: "orchestration", field: "Accounts.Orchestration.GitHub.Owner", want: `"honey*" is not a GitHub owner name`,
		},
		{
			name:   "tenant name that is not a namespace",
			mutate: func(envs []Environment) { envs[0].Tenants[0].Name = "Team_Ingest" },
			env:    "test", field: "Tenants[0].Name", want: `"Team_Ingest" is not a valid namespace name`,
		},
		{
			name:   "reserved tenant name",
			mutate: func(envs []Environment) { envs[0].Tenants[0].Name = "kube-system" },
			env:    "test", field: "Tenants[0].Name", want: `"kube-system" is reserved`,
		},
		{
			name:   "duplicate tenant",
			mutate: func(envs []Environment) { envs[1].Tenants[1].Name = envs[1].Tenants[0].Name },
			env:    "stage", field: "Tenants[1].Name", want: `tenant "team-ingest" is already Tenants[0]`,
		},
		{
			name:   "tenant quotas beyond the node pools",
			mutate: func(envs []Environment) { envs[0].Tenants[0].Quota.CPU = 65 },
			env:    "test", field: "Tenants", want: "add up to 65 CPUs, more than the 64 a node pool can hold",
		},
		{
			name:   "tenant memory beyond the node pools",
			mutate: func(envs []Environment) { envs[1].Tenants[0].Quota.MemoryGiB = 1000 },
			env:    "stage", field: "Tenants", want: "add up to 1128 GiB of memory, more than the 1024 GiB",
		},
		{
			name:   "tenant role in another account",
			mutate: func(envs []Environment) { envs[0].Tenants[0].RoleARN = "arn:aws:iam::999999999999:role/team" },
			env:    "test", field: "Tenants[0].RoleARN", want: "is in account 999999999999",
		},
		{
			name:   "tenant role that is the admin role",
			mutate: func(envs []Environment) { envs[0].Tenants[0].RoleARN = envs[0].Accounts.Target.AdminRoleARN() },
			env:    "test", field: "Tenants[0].RoleARN", want: "is the environment's deploy or admin role",
		},
		{
			name: "two tenants with one role",
			mutate: func(envs []Environment) {
				envs[1].Tenants[0].RoleARN = "arn:aws:iam::100000000003:role/teams"
				envs[1].Tenants[1].RoleARN = "arn:aws:iam::100000000003:role/teams"
			},
			env: "stage", field: "Tenants[1].RoleARN", want: "is already the role of Tenants[0]",
		},
		{
			name:   "tenant without quota",
			mutate: func(envs []Environment) { envs[0].Tenants[0].Quota.Pods = 0 },
			env:    "test", field: "Tenants[0].Quota", want: "must all be positive",
		},
		{
			name:   "system group",
			mutate: func(envs []Environment) { envs[0].Tenants[0].Group = "system:masters" },
			env:    "test", field: "Tenants[0].Group", want: "is not a usable group name",
		},
		{
			name:   "GitOps without tenants",
			mutate: func(envs []Environment) { envs[0].Tenants = nil },
			env:    "test", field: "Tenants", want: "GitOps deploys applications only into tenant namespaces",
		},
		{
			name:   "GitOps repository that is not a URL",
			mutate: func(envs []Environment) { envs[0].GitOps.RepoURL = "platform-apps" },
			env:    "test", field: "GitOps.RepoURL", want: "is not a Git repository URL",
		},
		{
			name:   "GitOps path escaping the repository",
			mutate: func(envs []Environment) { envs[0].GitOps.PathLayout = "../{env}" },
			env:    "test", field: "GitOps.PathLayout", want: "is not a relative path",
		},
		{
			name:   "duplicate data bucket",
			mutate: func(envs []Environment) { envs[0].Data.Buckets = []string{"events", "events"} },
			env:    "test", field: "Data.Buckets[1]", want: `bucket "events" is listed twice`,
		},
		{
			name:   "short point-in-time recovery in prod",
			mutate: func(envs []Environment) { envs[2].Retention.DatabaseBackupDays = 7 },
			env:    "prod", field: "Retention.DatabaseBackupDays", want: "7 days is too short for a production database",
		},
		{
			name:   "no database instance",
			mutate: func(envs []Environment) { envs[0].Data.DatabaseInstances = 0 },
			env:    "test", field: "Data.DatabaseInstances", want: "0 instances is out of range",
		},
		{
			name:   "Prometheus retention out of range",
			mutate: func(envs []Environment) { envs[2].Monitoring.PrometheusRetentionDays = 0 },
			env:    "prod", field: "Monitoring.PrometheusRetentionDays", want: "0 days is out of range",
		},
		{
			name:   "unknown tier",
			mutate: func(envs []Environment) { envs[0].Tier = "dev" },
			env:    "test", field: "Tier", want: `unknown tier "dev"`,
		},
		{
			name:   "Kubernetes version that is not a minor version",
			mutate: func(envs []Environment) { envs[2].Kubernetes.Version = "1.33.2" },
			env:    "prod", field: "Kubernetes.Version", want: `"1.33.2" is not a Kubernetes minor version`,
		},
		{
			name:   "public endpoint outside the test tier",
			mutate: func(envs []Environment) { envs[2].Kubernetes.PublicAccessCIDRs = []string{"203.0.113.0/24"} },
			env:    "prod", field: "Kubernetes.PublicAccessCIDRs", want: "allowed only in the test tier",
		},
		{
			name:   "public endpoint open to the internet",
			mutate: func(envs []Environment) { envs[0].Kubernetes.PublicAccessCIDRs = []string{"0.0.0.0/0"} },
			env:    "test", field: "Kubernetes.PublicAccessCIDRs[0]", want: "opens the cluster API to the whole internet",
		},
		{
			name:   "Karpenter without limits",
			mutate: func(envs []Environment) { envs[1].Sizes.Karpenter.CPULimit = 0 },
			env:    "stage", field: "Sizes.Karpenter", want: "must both be positive",
		},
		{
			name:   "instance type given as family",
			mutate: func(envs []Environment) { envs[1].Sizes.Karpenter.InstanceFamilies = []string{"m7g.large"} },
			env:    "stage", field: "Sizes.Karpenter.InstanceFamilies[0]", want: `"m7g.large" is not an EC2 instance family`,
		},
	}

	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			envs := All()
			c.mutate(envs)

			err := Validate(envs)
			require.Error(t, err)

			var fe *FieldError
			if c.orchestration != "" {
				fe = findOrchestrationError(err, c.orchestration, c.field, c.want)
			} else {
				fe = findFieldError(err, c.env, c.field, c.want)
			}
			require.NotNilf(t, fe, "no error for %q%q field %s containing %q; got:\n%v", c.env, c.orchestration, c.field, c.want, err)
			assert.NotEmpty(t, fe.Fix, "every error says how to fix it")
			assert.Contains(t, fe.Fix, c.fix)
		})
	}
}

func TestValidateReportsOrchestrationOnce(t *testing.T) {
	envs := All()
	setOrchestration(envs, func(o *Orchestration) { o.HomeRegion = "mars-1" })

	err := Validate(envs)
	require.Error(t, err)

	var found []*FieldError
	for _, fe := range fieldErrors(err) {
		if fe.Field == "Accounts.Orchestration.HomeRegion" {
			found = append(found, fe)
		}
	}
	require.Len(t, found, 1, "one shared definition gives one error")
	assert.Equal(t, "orchestration", found[0].Orchestration)
	assert.Equal(t, []string{"test", "stage", "prod", "acme", "globex-cp", "globex"}, found[0].UsedBy)
	assert.Empty(t, found[0].Environment)
}

func TestValidateReportsNameClashOnEnvironment(t *testing.T) {
	envs := All()
	envs[2].Name = "orchestration"

	err := Validate(envs)
	require.Error(t, err)

	for _, fe := range fieldErrors(err) {
		assert.NotEqual(t, "Accounts.Orchestration.Name", fe.Field, "the orchestration is not the one to rename: %v", fe)
	}
	assert.NotNil(t, findFieldError(err, "orchestration", "Name", "is also the name of the orchestration account"))
}

func TestValidateZoneNameLimit(t *testing.T) {
	// "usw2.internal." takes 14 of the 253 characters.
	atLimit := strings.Repeat(strings.Repeat("a", 60)+".", 3) + strings.Repeat("a", 56)
	require.Len(t, atLimit, 239)

	envs := All()
	envs[0].Domain = atLimit
	assert.NoError(t, Validate(envs), "a 253-character zone name is valid")

	envs[0].Domain = atLimit + "a"
	err := Validate(envs)
	require.Error(t, err)
	assert.NotNil(t, findFieldError(err, "test", "Domain", "is 254 characters"))
}

func TestValidateReportsEveryProblem(t *testing.T) {
	envs := All()
	envs[0].Accounts.Target.ID = "bad"
	envs[1].Domain = "nope"
	envs[2].Regions[0].Name = "mars-1"

	err := Validate(envs)
	require.Error(t, err)

	assert.NotNil(t, findFieldError(err, "test", "Accounts.Target.ID", ""))
	assert.NotNil(t, findFieldError(err, "stage", "Domain", ""))
	assert.NotNil(t, findFieldError(err, "prod", "Regions[0].Name", ""))
}

func TestFieldErrorMessage(t *testing.T) {
	err := &FieldError{Environment: "prod", Field: "Domain", Problem: `"x" is not a valid DNS name`, Fix: "use a DNS name"}
	assert.Equal(t, `environment "prod", field Domain: "x" is not a valid DNS name. Fix: use a DNS name`, err.Error())
}

func TestFieldErrorMessageForOrchestration(t *testing.T) {
	err := &FieldError{
		Orchestration: "orchestration",
		UsedBy:        []string{"test", "prod"},
		Field:         "Accounts.Orchestration.HomeRegion",
		Problem:       `unknown region "mars-1"`,
		Fix:           `use "us-west-2"`,
	}
	assert.Equal(t, `orchestration "orchestration" (used by environments "test", "prod"), field Accounts.Orchestration.HomeRegion: unknown region "mars-1". Fix: use "us-west-2"`, err.Error())
}

func TestLookupRegionByNameAndCode(t *testing.T) {
	byName, ok := LookupRegion("eu-west-1")
	require.True(t, ok)
	byCode, ok := LookupRegion("euw1")
	require.True(t, ok)

	assert.Equal(t, byName, byCode)
	assert.Equal(t, JurisdictionEU, byName.Jurisdiction)

	_, ok = LookupRegion("xx-nowhere-1")
	assert.False(t, ok)
}

// fieldErrors returns the FieldErrors joined in err.
func fieldErrors(err error) []*FieldError {
	joined, ok := err.(interface{ Unwrap() []error })
	if !ok {
		return nil
	}
	var found []*FieldError
	for _, e := range joined.Unwrap() {
		var fe *FieldError
		if errors.As(e, &fe) {
			found = append(found, fe)
		}
	}
	return found
}

// findFieldError returns the FieldError for env and field whose problem
// contains want, or nil.
func findFieldError(err error, env, field, want string) *FieldError {
	for _, fe := range fieldErrors(err) {
		if len(fe.UsedBy) == 0 && fe.Environment == env && fe.Field == field && strings.Contains(fe.Problem, want) {
			return fe
		}
	}
	return nil
}

// findOrchestrationError returns the FieldError for the orchestration
// definition name and field whose problem contains want, or nil.
func findOrchestrationError(err error, name, field, want string) *FieldError {
	for _, fe := range fieldErrors(err) {
		if len(fe.UsedBy) > 0 && fe.Orchestration == name && fe.Field == field && strings.Contains(fe.Problem, want) {
			return fe
		}
	}
	return nil
}

func TestDataBucketNameAndGitOpsPath(t *testing.T) {
	prod := Prod().WithDefaults()
	eu, ok := prod.Region("eu-west-1")
	require.True(t, ok)

	assert.Equal(t, "honeyhive-prod-euw1-events-100000000004", prod.DataBucketName(eu, "events"))
	assert.Equal(t, "environments/prod/eu-west-1", prod.GitOpsPath(eu))
	assert.Equal(t, "main", prod.GitOps.Revision)
}
