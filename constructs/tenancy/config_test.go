package tenancy

import (
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/honeyhive/platform/internal/synthtest"
)

const (
	ingestRoleARN = "arn:aws:iam::100000000004:role/team-ingest"
	evalsRoleARN  = "arn:aws:iam::100000000004:role/tenants/team-evals"
)

// validConfig returns a valid configuration of two tenants, one with an
// IAM role and one without.
func validConfig() Config {
	return Config{
		Tenants: []Tenant{
			{Name: "team-ingest", Group: "team-ingest-editors", RoleARN: ingestRoleARN, CPU: 32, MemoryGiB: 128, Pods: 200},
			{Name: "team-evals", Group: "team-evals-editors", CPU: 8, MemoryGiB: 24, Pods: 50},
		},
		ClusterName:             jsii.String("prod-usw2"),
		LoadBalancerSourceCIDRs: []string{"10.20.0.0/24", "10.20.1.0/24", "10.20.2.0/24"},
		DatabaseCIDRs:           []string{"10.20.32.0/24", "10.20.33.0/24"},
	}
}

func TestConfigValidate(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(*Config)
		want   string
	}{
		{
			"no tenants",
			func(c *Config) { c.Tenants = nil },
			"tenancy: Config.Tenants is empty; list at least one tenant",
		},
		{
			"uppercase name",
			func(c *Config) { c.Tenants[0].Name = "Team-Ingest" },
			`tenancy: Config.Tenants[0].Name: "Team-Ingest" is not a valid namespace name; use 1 to 63 lowercase letters, digits and hyphens, starting and ending with a letter or digit`,
		},
		{
			"empty name",
			func(c *Config) { c.Tenants[0].Name = "" },
			`tenancy: Config.Tenants[0].Name: "" is not a valid namespace name`,
		},
		{
			"trailing hyphen",
			func(c *Config) { c.Tenants[1].Name = "team-" },
			`tenancy: Config.Tenants[1].Name: "team-" is not a valid namespace name`,
		},
		{
			"name with a dot",
			func(c *Config) { c.Tenants[1].Name = "team.evals" },
			`tenancy: Config.Tenants[1].Name: "team.evals" is not a valid namespace name`,
		},
		{
			"name of 64 characters",
			func(c *Config) { c.Tenants[0].Name = strings.Repeat("a", 64) },
			`tenancy: Config.Tenants[0].Name: "` + strings.Repeat("a", 64) + `" is not a valid namespace name`,
		},
		{
			"default namespace",
			func(c *Config) { c.Tenants[0].Name = "default" },
			`tenancy: Config.Tenants[0].Name: "default" is reserved for the platform; choose a name other than default, argocd, cert-manager, external-dns, external-secrets, monitoring that does not start with "kube-"`,
		},
		{
			"kube- prefix",
			func(c *Config) { c.Tenants[0].Name = "kube-tenants" },
			`tenancy: Config.Tenants[0].Name: "kube-tenants" is reserved for the platform`,
		},
		{
			"argocd",
			func(c *Config) { c.Tenants[0].Name = "argocd" },
			`tenancy: Config.Tenants[0].Name: "argocd" is reserved for the platform`,
		},
		{
			"cert-manager",
			func(c *Config) { c.Tenants[0].Name = "cert-manager" },
			`tenancy: Config.Tenants[0].Name: "cert-manager" is reserved for the platform`,
		},
		{
			"external-dns",
			func(c *Config) { c.Tenants[0].Name = "external-dns" },
			`tenancy: Config.Tenants[0].Name: "external-dns" is reserved for the platform`,
		},
		{
			"external-secrets",
			func(c *Config) { c.Tenants[0].Name = "external-secrets" },
			`tenancy: Config.Tenants[0].Name: "external-secrets" is reserved for the platform`,
		},
		{
			"monitoring",
			func(c *Config) { c.Tenants[0].Name = "monitoring" },
			`tenancy: Config.Tenants[0].Name: "monitoring" is reserved for the platform`,
		},
		{
			"custom monitoring namespace",
			func(c *Config) { c.MonitoringNamespace = "observability"; c.Tenants[1].Name = "observability" },
			`tenancy: Config.Tenants[1].Name: "observability" is the monitoring namespace; choose another name`,
		},
		{
			"custom telemetry namespace",
			func(c *Config) { c.TelemetryNamespace = "otel"; c.Tenants[0].Name = "otel" },
			`tenancy: Config.Tenants[0].Name: "otel" is the telemetry namespace; choose another name`,
		},
		{
			"duplicate name",
			func(c *Config) { c.Tenants[1].Name = "team-ingest" },
			`tenancy: Config.Tenants[1].Name: "team-ingest" is already the name of Tenants[0]; give every tenant its own name`,
		},
		{
			"empty group",
			func(c *Config) { c.Tenants[1].Group = "" },
			`tenancy: Config.Tenants[1].Group is empty; set the Kubernetes group whose members may edit namespace "team-evals"`,
		},
		{
			"system group",
			func(c *Config) { c.Tenants[0].Group = "system:masters" },
			`tenancy: Config.Tenants[0].Group: "system:masters" has the "system:" prefix that Kubernetes reserves for its own groups; choose a group outside it`,
		},
		{
			"group with a space",
			func(c *Config) { c.Tenants[0].Group = "team ingest" },
			`tenancy: Config.Tenants[0].Group: "team ingest" contains whitespace; use a group name without spaces`,
		},
		{
			"role ARN of a user",
			func(c *Config) { c.Tenants[0].RoleARN = "arn:aws:iam::100000000004:user/alice" },
			`tenancy: Config.Tenants[0].RoleARN: "arn:aws:iam::100000000004:user/alice" is not an IAM role ARN; use the form "arn:<partition>:iam::<account>:role/<name>", or leave it empty`,
		},
		{
			"role name instead of ARN",
			func(c *Config) { c.Tenants[0].RoleARN = "team-ingest" },
			`tenancy: Config.Tenants[0].RoleARN: "team-ingest" is not an IAM role ARN`,
		},
		{
			"role ARN with a short account",
			func(c *Config) { c.Tenants[0].RoleARN = "arn:aws:iam::1234:role/team-ingest" },
			`tenancy: Config.Tenants[0].RoleARN: "arn:aws:iam::1234:role/team-ingest" is not an IAM role ARN`,
		},
		{
			"role shared by two tenants",
			func(c *Config) { c.Tenants[1].RoleARN = ingestRoleARN },
			`tenancy: Config.Tenants[1].RoleARN: "arn:aws:iam::100000000004:role/team-ingest" is already the role of Tenants[0]; EKS allows one access entry per principal, so give each tenant its own role`,
		},
		{
			"zero CPU",
			func(c *Config) { c.Tenants[0].CPU = 0 },
			"tenancy: Config.Tenants[0].CPU: 0 is not positive; set the tenant's CPU quota in cores",
		},
		{
			"negative memory",
			func(c *Config) { c.Tenants[1].MemoryGiB = -4 },
			"tenancy: Config.Tenants[1].MemoryGiB: -4 is not positive; set the tenant's memory quota in GiB",
		},
		{
			"zero pods",
			func(c *Config) { c.Tenants[1].Pods = 0 },
			"tenancy: Config.Tenants[1].Pods: 0 is not positive; set the maximum number of pods in the namespace",
		},
		{
			"negative storage",
			func(c *Config) { c.Tenants[0].StorageGiB = -1 },
			"tenancy: Config.Tenants[0].StorageGiB: -1 is negative; set the tenant's storage quota in GiB, or 0 for the default of 100",
		},
		{
			"access entry without cluster name",
			func(c *Config) { c.ClusterName = nil },
			`tenancy: Config.ClusterName is missing, but Tenants[0] ("team-ingest") has a RoleARN; pass the cluster's name so that its access entry can be created`,
		},
		{
			"access entry with empty cluster name",
			func(c *Config) { c.ClusterName = jsii.String("") },
			`tenancy: Config.ClusterName is missing, but Tenants[0] ("team-ingest") has a RoleARN`,
		},
		{
			"invalid cluster name",
			func(c *Config) { c.ClusterName = jsii.String("prod usw2") },
			`tenancy: Config.ClusterName: "prod usw2" is not a valid EKS cluster name; pass the cluster's name or the aws_eks_cluster resource's name`,
		},
		{
			"settings key with a slash",
			func(c *Config) { c.Settings = map[string]string{"control-plane/endpoint": "https://api.example.com"} },
			`tenancy: Config.Settings: "control-plane/endpoint" is not a ConfigMap key`,
		},
		{
			"address without prefix length",
			func(c *Config) { c.LoadBalancerSourceCIDRs[1] = "10.20.1.0" },
			`tenancy: Config.LoadBalancerSourceCIDRs[1]: "10.20.1.0" is not an IPv4 CIDR; use one such as "10.0.0.0/24"`,
		},
		{
			"not an address",
			func(c *Config) { c.LoadBalancerSourceCIDRs[0] = "public-a" },
			`tenancy: Config.LoadBalancerSourceCIDRs[0]: "public-a" is not an IPv4 CIDR`,
		},
		{
			"IPv6 CIDR",
			func(c *Config) { c.LoadBalancerSourceCIDRs[0] = "2600:1f14::/64" },
			`tenancy: Config.LoadBalancerSourceCIDRs[0]: "2600:1f14::/64" is not an IPv4 CIDR`,
		},
		{
			"host bits set",
			func(c *Config) { c.LoadBalancerSourceCIDRs[2] = "10.20.2.5/24" },
			`tenancy: Config.LoadBalancerSourceCIDRs[2]: "10.20.2.5/24" has host bits set; use the network address "10.20.2.0/24"`,
		},
		{
			"everywhere",
			func(c *Config) { c.LoadBalancerSourceCIDRs[0] = "0.0.0.0/0" },
			`tenancy: Config.LoadBalancerSourceCIDRs[0]: "0.0.0.0/0" is wider than a VPC can be (/16); pass the public subnets' CIDRs`,
		},
		{
			"wider than a VPC",
			func(c *Config) { c.LoadBalancerSourceCIDRs[0] = "10.0.0.0/8" },
			`tenancy: Config.LoadBalancerSourceCIDRs[0]: "10.0.0.0/8" is wider than a VPC can be (/16)`,
		},
		{
			"duplicate CIDR",
			func(c *Config) { c.LoadBalancerSourceCIDRs[2] = "10.20.0.0/24" },
			`tenancy: Config.LoadBalancerSourceCIDRs[2]: "10.20.0.0/24" is already listed as LoadBalancerSourceCIDRs[0]; list each subnet once`,
		},
		{
			"database address without prefix length",
			func(c *Config) { c.DatabaseCIDRs[0] = "10.20.32.10" },
			`tenancy: Config.DatabaseCIDRs[0]: "10.20.32.10" is not an IPv4 CIDR; use one such as "10.0.0.0/24"`,
		},
		{
			"database IPv6 CIDR",
			func(c *Config) { c.DatabaseCIDRs[1] = "2600:1f14::/64" },
			`tenancy: Config.DatabaseCIDRs[1]: "2600:1f14::/64" is not an IPv4 CIDR`,
		},
		{
			"database host bits set",
			func(c *Config) { c.DatabaseCIDRs[1] = "10.20.33.7/24" },
			`tenancy: Config.DatabaseCIDRs[1]: "10.20.33.7/24" has host bits set; use the network address "10.20.33.0/24"`,
		},
		{
			"database everywhere",
			func(c *Config) { c.DatabaseCIDRs[0] = "0.0.0.0/0" },
			`tenancy: Config.DatabaseCIDRs[0]: "0.0.0.0/0" is wider than a VPC can be (/16); pass the database subnets' CIDRs`,
		},
		{
			"duplicate database CIDR",
			func(c *Config) { c.DatabaseCIDRs[1] = "10.20.32.0/24" },
			`tenancy: Config.DatabaseCIDRs[1]: "10.20.32.0/24" is already listed as DatabaseCIDRs[0]; list each subnet once`,
		},
		{
			"invalid telemetry namespace",
			func(c *Config) { c.TelemetryNamespace = "open_telemetry" },
			`tenancy: Config.TelemetryNamespace: "open_telemetry" is not a valid namespace name; use the namespace the OpenTelemetry collector runs in, for example "monitoring"`,
		},
		{
			"invalid monitoring namespace",
			func(c *Config) { c.MonitoringNamespace = "Monitoring" },
			`tenancy: Config.MonitoringNamespace: "Monitoring" is not a valid namespace name; use the namespace Prometheus runs in, for example "monitoring"`,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := validConfig()
			c.mutate(&cfg)
			assert.ErrorContains(t, cfg.withDefaults().Validate(), c.want)
		})
	}
}

func TestConfigValidateAcceptsValid(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(*Config)
	}{
		{"two tenants", func(*Config) {}},
		{"no roles and no cluster name", func(c *Config) {
			c.Tenants[0].RoleARN = ""
			c.ClusterName = nil
		}},
		{"role with a path", func(c *Config) { c.Tenants[1].RoleARN = evalsRoleARN }},
		{"GovCloud role", func(c *Config) { c.Tenants[1].RoleARN = "arn:aws-us-gov:iam::100000000004:role/team-evals" }},
		{"one-character name", func(c *Config) { c.Tenants[1].Name = "a" }},
		{"name of 63 characters", func(c *Config) { c.Tenants[1].Name = strings.Repeat("a", 63) }},
		{"name that starts with kube without hyphen", func(c *Config) { c.Tenants[1].Name = "kubeflow" }},
		{"one subnet as wide as a VPC", func(c *Config) { c.LoadBalancerSourceCIDRs = []string{"10.20.0.0/16"} }},
		{"storage set", func(c *Config) { c.Tenants[0].StorageGiB = 1 }},
		{"no database CIDRs", func(c *Config) { c.DatabaseCIDRs = nil }},
		{"one database range as wide as a VPC", func(c *Config) { c.DatabaseCIDRs = []string{"10.30.0.0/16"} }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := validConfig()
			c.mutate(&cfg)
			assert.NoError(t, cfg.Validate(), "Validate applies the defaults itself")
		})
	}
}

func TestConfigValidateReportsEveryProblem(t *testing.T) {
	cfg := validConfig()
	cfg.Tenants[0].CPU = 0
	cfg.Tenants[1].Group = "system:authenticated"
	cfg.LoadBalancerSourceCIDRs[0] = "public-a"

	err := cfg.withDefaults().Validate()
	require.Error(t, err)
	assert.ErrorContains(t, err, "Config.Tenants[0].CPU")
	assert.ErrorContains(t, err, "Config.Tenants[1].Group")
	assert.ErrorContains(t, err, "Config.LoadBalancerSourceCIDRs[0]")
}

func TestConfigWithDefaults(t *testing.T) {
	assert.Equal(t, "monitoring", validConfig().withDefaults().MonitoringNamespace)

	cfg := validConfig()
	cfg.MonitoringNamespace = "observability"
	assert.Equal(t, "observability", cfg.withDefaults().MonitoringNamespace)
}

func TestConfigWithDefaultsTelemetry(t *testing.T) {
	assert.Equal(t, "monitoring", validConfig().withDefaults().TelemetryNamespace)

	cfg := validConfig()
	cfg.TelemetryNamespace = "otel"
	assert.Equal(t, "otel", cfg.withDefaults().TelemetryNamespace)
}

func TestConfigWithDefaultsStorage(t *testing.T) {
	cfg := validConfig()
	cfg.Tenants[1].StorageGiB = 250
	defaulted := cfg.withDefaults()

	assert.Equal(t, 100, defaulted.Tenants[0].StorageGiB, "zero means the default")
	assert.Equal(t, 250, defaulted.Tenants[1].StorageGiB, "a set quota stays")
	assert.Equal(t, 0, cfg.Tenants[0].StorageGiB, "the caller's tenants stay unchanged")
}

func TestConfigValidateAcceptsClusterNameToken(t *testing.T) {
	stack := synthtest.Stack(t)
	cfg := validConfig()
	cfg.ClusterName = clusterToken(stack)
	assert.NoError(t, cfg.withDefaults().Validate())
}

func TestNewPanicsOnInvalidConfig(t *testing.T) {
	stack := synthtest.Stack(t)
	cfg := validConfig()
	cfg.Tenants[0].Name = "kube-system"

	assert.PanicsWithError(t, `tenancy: Config.Tenants[0].Name: "kube-system" is reserved for the platform; choose a name other than default, argocd, cert-manager, external-dns, external-secrets, monitoring that does not start with "kube-"`, func() {
		New(stack, "tenancy", cfg)
	})
}
