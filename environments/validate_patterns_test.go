package environments

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// bundled returns the bundled environment named name from envs, for
// changing it in place.
func bundled(t *testing.T, envs []Environment, name string) *Environment {
	t.Helper()
	for i := range envs {
		if envs[i].Name == name {
			return &envs[i]
		}
	}
	require.FailNowf(t, "no bundled environment", "%q", name)
	return nil
}

func TestBundledCustomerDeployments(t *testing.T) {
	envs := All()
	acme, cp, globex := bundled(t, envs, "acme"), bundled(t, envs, "globex-cp"), bundled(t, envs, "globex")

	assert.Equal(t, PatternFederatedBYOC, acme.Pattern)
	assert.NotNil(t, acme.Regions[0].ExistingVPC, "the BYOC deployment uses the customer's VPC")
	assert.NotEmpty(t, acme.Regions[0].Keys.Data, "the BYOC deployment encrypts data with the customer's key")
	assert.Empty(t, acme.Regions[0].Keys.Logs, "the BYOC deployment creates its logs key")

	assert.Equal(t, PatternControlPlane, cp.Pattern)
	assert.Equal(t, PatternHybridSaaS, globex.Pattern)
	assert.Equal(t, cp.Name, globex.ControlPlane.Environment)
	assert.Nil(t, globex.Regions[0].ExistingVPC, "the hybrid data plane gets a VPC the platform creates")
	assert.Equal(t, KeyARNs{}, globex.Regions[0].Keys, "the hybrid data plane's keys are created in its account")

	for _, e := range []*Environment{acme, globex} {
		assert.NotEqual(t, e.Accounts.Target.ExternalID, e.Customer.Operator.ExternalID, e.Name)
		assert.Equal(t, DefaultOperatorRoleName, e.Customer.Operator.RoleName, "%s: the default operator role name", e.Name)
	}
}

func TestPatternProperties(t *testing.T) {
	cases := []struct {
		pattern                             Pattern
		controlPlane, dataPlane, customer   bool
		publicEntry, controlPlaneByEndpoint bool
	}{
		{PatternFullStack, true, true, false, true, false},
		{PatternControlPlane, true, false, false, true, false},
		{PatternDataPlane, false, true, false, true, true},
		{PatternFederatedBYOC, false, true, true, false, true},
		{PatternHybridSaaS, false, true, true, false, false},
	}
	require.Len(t, cases, len(patterns), "every pattern has a row")
	for _, c := range cases {
		t.Run(string(c.pattern), func(t *testing.T) {
			assert.Equal(t, c.controlPlane, c.pattern.RunsControlPlane(), "RunsControlPlane")
			assert.Equal(t, c.dataPlane, c.pattern.RunsDataPlane(), "RunsDataPlane")
			assert.Equal(t, c.customer, c.pattern.InCustomerAccount(), "InCustomerAccount")
			assert.Equal(t, c.publicEntry, c.pattern.HasPublicEntry(), "HasPublicEntry")
			assert.Equal(t, c.controlPlaneByEndpoint, c.pattern.NeedsControlPlaneEndpoint(), "NeedsControlPlaneEndpoint")
		})
	}
}

// TestValidateRejectsPatternMistakes changes one bundled deployment at a
// time and checks the error names the environment, the field and the
// problem.
func TestValidateRejectsPatternMistakes(t *testing.T) {
	cases := []struct {
		name   string
		env    string
		mutate func(e *Environment)
		// target is the environment the error is about, when not env.
		target string
		field  string
		want   string
	}{
		{
			name:   "data plane without a control-plane endpoint",
			env:    "test",
			mutate: func(e *Environment) { e.Pattern = PatternDataPlane },
			field:  "ControlPlane.Endpoint", want: `the "data-plane" pattern connects to a remote control plane, and ControlPlane.Endpoint is empty`,
		},
		{
			name:   "BYOC without a control-plane endpoint",
			env:    "acme",
			mutate: func(e *Environment) { e.ControlPlane.Endpoint = "" },
			field:  "ControlPlane.Endpoint", want: "ControlPlane.Endpoint is empty",
		},
		{
			name:   "control-plane endpoint over plain HTTP",
			env:    "acme",
			mutate: func(e *Environment) { e.ControlPlane.Endpoint = "http://api.honeyhive.ai" },
			field:  "ControlPlane.Endpoint", want: "does not use HTTPS",
		},
		{
			name:   "BYOC without an external ID",
			env:    "acme",
			mutate: func(e *Environment) { e.Accounts.Target.ExternalID = "" },
			field:  "Accounts.Target.ExternalID", want: `the "federated-byoc" pattern deploys into a customer's account`,
		},
		{
			name:   "BYOC without customer details",
			env:    "acme",
			mutate: func(e *Environment) { e.Customer = nil },
			field:  "Customer", want: "Customer is not set",
		},
		{
			name:   "operator role without an external ID",
			env:    "globex",
			mutate: func(e *Environment) { e.Customer.Operator.ExternalID = "" },
			field:  "Customer.Operator.ExternalID", want: `"" is not an external ID`,
		},
		{
			name:   "operator and deploy roles share an external ID",
			env:    "globex",
			mutate: func(e *Environment) { e.Customer.Operator.ExternalID = e.Accounts.Target.ExternalID },
			field:  "Customer.Operator.ExternalID", want: "knowing one opens both",
		},
		{
			name:   "operator role trusted from the customer's own account",
			env:    "acme",
			mutate: func(e *Environment) { e.Customer.Operator.TrustedRoleARN = "arn:aws:iam::200000000001:role/admin" },
			field:  "Customer.Operator.TrustedRoleARN", want: "is in the customer's own account",
		},
		{
			name:   "operator role trusted by a wildcard",
			env:    "acme",
			mutate: func(e *Environment) { e.Customer.Operator.TrustedRoleARN = "*" },
			field:  "Customer.Operator.TrustedRoleARN", want: `"*" is not an IAM role ARN`,
		},
		{
			name:   "pattern needs a component that is off",
			env:    "acme",
			mutate: func(e *Environment) { e.Components.DataStores = false },
			field:  "Components.DataStores", want: `the "federated-byoc" pattern needs DataStores, which is off`,
		},
		{
			name:   "control plane with data stores",
			env:    "globex-cp",
			mutate: func(e *Environment) { e.Components.DataStores = true },
			field:  "Components.DataStores", want: "a control plane keeps no customer data",
		},
		{
			name:   "customer details on a HoneyHive deployment",
			env:    "prod",
			mutate: func(e *Environment) { e.Customer = &Customer{Name: "x"} },
			field:  "Customer", want: `the "full-stack" pattern runs in HoneyHive's accounts`,
		},
		{
			name: "existing VPC on a HoneyHive deployment",
			env:  "prod",
			mutate: func(e *Environment) {
				e.Regions[0].ExistingVPC = &ExistingVPC{ID: "vpc-0123456789abcdef0"}
			},
			field: "Regions[0].ExistingVPC", want: "runs in HoneyHive's accounts",
		},
		{
			name:   "customer VPC without intra subnets",
			env:    "acme",
			mutate: func(e *Environment) { e.Regions[0].ExistingVPC.IntraSubnets = nil },
			field:  "Regions[0].ExistingVPC.IntraSubnets", want: "the subnets cover 0 availability zones, and the EKS control plane",
		},
		{
			name: "customer VPC with private subnets in one zone",
			env:  "acme",
			mutate: func(e *Environment) {
				e.Regions[0].ExistingVPC.PrivateSubnets[1].AvailabilityZone = "us-west-2a"
			},
			field: "Regions[0].ExistingVPC.PrivateSubnets", want: "the subnets cover 1 availability zones, and the nodes and pods run there",
		},
		{
			name:   "customer VPC without database subnets while data stores are on",
			env:    "acme",
			mutate: func(e *Environment) { e.Regions[0].ExistingVPC.DatabaseSubnets = nil },
			field:  "Regions[0].ExistingVPC.DatabaseSubnets", want: "Components.DataStores is on",
		},
		{
			name: "customer subnet outside the VPC",
			env:  "acme",
			mutate: func(e *Environment) {
				e.Regions[0].ExistingVPC.DatabaseSubnets[0].CIDR = "172.16.0.0/24"
			},
			field: "Regions[0].ExistingVPC.DatabaseSubnets[0].CIDR", want: "172.16.0.0/24 is outside the VPC range 10.0.0.0/16",
		},
		{
			name: "customer subnet in another region",
			env:  "acme",
			mutate: func(e *Environment) {
				e.Regions[0].ExistingVPC.PrivateSubnets[0].AvailabilityZone = "us-east-1a"
			},
			field: "Regions[0].ExistingVPC.PrivateSubnets[0].AvailabilityZone", want: `"us-east-1a" is not an availability zone of the region`,
		},
		{
			name: "customer subnet in two tiers",
			env:  "acme",
			mutate: func(e *Environment) {
				x := e.Regions[0].ExistingVPC
				x.IntraSubnets[0].ID = x.PrivateSubnets[0].ID
			},
			field: "Regions[0].ExistingVPC.IntraSubnets[0].ID", want: "is already listed as PrivateSubnets[0]",
		},
		{
			name: "customer VPC endpoints without route tables",
			env:  "acme",
			mutate: func(e *Environment) {
				e.Regions[0].ExistingVPC.CreateEndpoints = true
			},
			field: "Regions[0].ExistingVPC.RouteTableIDs", want: "CreateEndpoints is on and no route tables are listed",
		},
		{
			name:   "customer key given as an alias",
			env:    "acme",
			mutate: func(e *Environment) { e.Regions[0].Keys.Data = "alias/acme-data" },
			field:  "Regions[0].Keys.Data", want: `"alias/acme-data" is not a KMS key ARN`,
		},
		{
			name: "customer key in another region",
			env:  "acme",
			mutate: func(e *Environment) {
				e.Regions[0].Keys.Logs = "arn:aws:kms:eu-west-1:200000000001:key/0c1d2e3f-4a5b-6c7d-8e9f-0a1b2c3d4e5f"
			},
			field: "Regions[0].Keys.Logs", want: "is in region eu-west-1",
		},
		{
			name:   "hybrid data plane without a control plane",
			env:    "globex",
			mutate: func(e *Environment) { e.ControlPlane.Environment = "" },
			field:  "ControlPlane.Environment", want: "none is named",
		},
		{
			name:   "hybrid data plane linked to an unknown environment",
			env:    "globex",
			mutate: func(e *Environment) { e.ControlPlane.Environment = "initech-cp" },
			field:  "ControlPlane.Environment", want: `no environment is named "initech-cp"`,
		},
		{
			name:   "hybrid data plane linked to a full stack",
			env:    "globex",
			mutate: func(e *Environment) { e.ControlPlane.Environment = "prod" },
			field:  "ControlPlane.Environment", want: `environment "prod" has the pattern "full-stack"`,
		},
		{
			name: "hybrid data plane in a region its control plane lacks",
			env:  "globex",
			mutate: func(e *Environment) {
				e.Regions = append(e.Regions, Region{Name: "us-east-1", Role: RoleDR, VPCCIDR: "10.42.0.0/16"})
			},
			field: "Regions[1].Name", want: `the control plane "globex-cp" has no region us-east-1`,
		},
		{
			name:   "hybrid control plane without a private service",
			env:    "globex-cp",
			mutate: func(e *Environment) { e.PrivateService = nil },
			field:  "PrivateService", want: `environment "globex" links to this control plane over PrivateLink`,
		},
		{
			name:   "private service outside the tenants",
			env:    "globex",
			mutate: func(e *Environment) { e.PrivateService.Namespace = "monitoring" },
			field:  "PrivateService.Namespace", want: `"monitoring" is not a tenant of the environment`,
		},
		{
			name: "private service with nothing linked",
			env:  "prod",
			mutate: func(e *Environment) {
				e.PrivateService = &PrivateService{Namespace: "team-ingest", Name: "api", Port: 443}
			},
			field: "PrivateService", want: "no hybrid SaaS data plane links to this environment",
		},
		{
			name: "name too long for the PrivateLink load balancer",
			env:  "globex-cp",
			mutate: func(e *Environment) {
				e.Name = "globex-control-plane"
			},
			target: "globex-control-plane",
			field:  "Name", want: "too long to name the PrivateLink load balancer",
		},
		{
			name:   "control-plane endpoint at an address",
			env:    "acme",
			mutate: func(e *Environment) { e.ControlPlane.Endpoint = "https://169.254.169.254/latest" },
			field:  "ControlPlane.Endpoint", want: "does not name its host by a DNS name",
		},
		{
			name:   "control-plane endpoint with a bad port",
			env:    "acme",
			mutate: func(e *Environment) { e.ControlPlane.Endpoint = "https://api.honeyhive.ai:99999" },
			field:  "ControlPlane.Endpoint", want: "has the invalid port 99999",
		},
		{
			name: "public cluster endpoint in a customer's account",
			env:  "acme",
			mutate: func(e *Environment) {
				e.Tier = TierTest
				e.Kubernetes.PublicAccessCIDRs = []string{"203.0.113.0/24"}
			},
			field: "Kubernetes.PublicAccessCIDRs", want: "exposes nothing to the internet, in any tier",
		},
		{
			name:   "operator role named like the deploy role",
			env:    "acme",
			mutate: func(e *Environment) { e.Customer.Operator.RoleName = "honeyhive-deploy" },
			field:  "Customer.Operator.RoleName", want: `"honeyhive-deploy" is also the name of Accounts.Target.DeployRoleName`,
		},
		{
			name: "operator role trusted from another customer's account",
			env:  "acme",
			mutate: func(e *Environment) {
				e.Customer.Operator.TrustedRoleARN = "arn:aws:iam::200000000002:role/honeyhive-deploy"
			},
			field: "Customer.Operator.TrustedRoleARN", want: `is in the account of customer deployment "globex"`,
		},
		{
			name: "customer key of another account",
			env:  "acme",
			mutate: func(e *Environment) {
				e.Regions[0].Keys.Logs = "arn:aws:kms:us-west-2:999999999999:key/0c1d2e3f-4a5b-6c7d-8e9f-0a1b2c3d4e5f"
			},
			field: "Regions[0].Keys.Logs", want: "belongs to account 999999999999",
		},
		{
			name:   "customer VPC range with host bits",
			env:    "acme",
			mutate: func(e *Environment) { e.Regions[0].VPCCIDR = "10.0.0.5/16" },
			field:  "Regions[0].VPCCIDR", want: "is not a VPC's primary range",
		},
		{
			name: "customer subnet with host bits",
			env:  "acme",
			mutate: func(e *Environment) {
				e.Regions[0].ExistingVPC.IntraSubnets[0].CIDR = "10.0.64.7/24"
			},
			field: "Regions[0].ExistingVPC.IntraSubnets[0].CIDR", want: "has host bits set",
		},
		{
			name: "customer subnet in a malformed zone",
			env:  "acme",
			mutate: func(e *Environment) {
				e.Regions[0].ExistingVPC.IntraSubnets[0].AvailabilityZone = "us-west-2-"
			},
			field: "Regions[0].ExistingVPC.IntraSubnets[0].AvailabilityZone", want: "is not an availability zone of the region",
		},
		{
			name: "route table listed twice",
			env:  "acme",
			mutate: func(e *Environment) {
				e.Regions[0].ExistingVPC.RouteTableIDs = []string{"rtb-0123456789abcdef0", "rtb-0123456789abcdef0"}
			},
			field: "Regions[0].ExistingVPC.RouteTableIDs[1]", want: "is already listed as RouteTableIDs[0]",
		},
		{
			name:   "two deployments in one customer account",
			env:    "globex",
			mutate: func(e *Environment) { e.Accounts.Target.ID = "200000000001" },
			field:  "Accounts.Target.ID", want: `account 200000000001 already hosts environment "acme"`,
		},
		{
			name:   "environment named like the plan jobs' GitHub environment",
			env:    "test",
			mutate: func(e *Environment) { e.Name = "plan" },
			target: "plan",
			field:  "Name", want: "is the GitHub environment of pull-request plans",
		},
		{
			name:   "full stack with a control plane endpoint",
			env:    "stage",
			mutate: func(e *Environment) { e.ControlPlane.Endpoint = "https://api.honeyhive.ai" },
			field:  "ControlPlane", want: `the "full-stack" pattern runs the control plane itself`,
		},
	}

	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			envs := All()
			c.mutate(bundled(t, envs, c.env))

			err := Validate(envs)
			require.Error(t, err)

			target := c.env
			if c.target != "" {
				target = c.target
			}
			fe := findFieldError(err, target, c.field, c.want)
			require.NotNilf(t, fe, "no error for %q field %s containing %q; got:\n%v", target, c.field, c.want, err)
			assert.NotEmpty(t, fe.Fix, "every error says how to fix it")
		})
	}
}

func TestCustomerVPCRangeIsOutsideTheCompanyPlan(t *testing.T) {
	envs := All()
	// Acme's own VPC may overlap a range of HoneyHive's plan: PrivateLink
	// and BYOC never route between the two.
	acme := bundled(t, envs, "acme")
	acme.Regions[0].VPCCIDR = "10.10.0.0/16"
	x := acme.Regions[0].ExistingVPC
	for _, tier := range [][]Subnet{x.PrivateSubnets, x.IntraSubnets, x.DatabaseSubnets} {
		for i := range tier {
			tier[i].CIDR = strings.Replace(tier[i].CIDR, "10.0.", "10.10.", 1)
		}
	}

	assert.NoError(t, Validate(envs), "a customer's VPC range is not checked against the company plan")
}
