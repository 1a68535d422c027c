package addons

import (
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/route53zone"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/honeyhive/platform/internal/synthtest"
)

const (
	testAccountID  = "100000000004"
	testClusterARN = "arn:aws:eks:us-west-2:100000000004:cluster/prod-usw2"
	testVPCID      = "vpc-0123456789abcdef0"
)

// testCluster returns a valid ClusterInfo with literal values.
func testCluster() ClusterInfo {
	return ClusterInfo{
		Name:      "prod-usw2",
		NameToken: jsii.String("prod-usw2"),
		ARN:       jsii.String(testClusterARN),
		AccountID: testAccountID,
		Region:    "us-west-2",
		VPCID:     jsii.String(testVPCID),
	}
}

// testZone adds a hosted zone to stack, for configs that take zone ID
// tokens and for DependsOn.
func testZone(stack cdktf.TerraformStack) route53zone.Route53Zone {
	return route53zone.NewRoute53Zone(stack, jsii.String("zone"), &route53zone.Route53ZoneConfig{
		Name: jsii.String("usw2.prod.honeyhive.ai"),
	})
}

// stringList returns a JSON value that is a string or a list of strings as
// a slice.
func stringList(t *testing.T, value any) []string {
	t.Helper()
	switch v := value.(type) {
	case nil:
		return nil
	case string:
		return []string{v}
	case []any:
		list := make([]string, len(v))
		for i, item := range v {
			s, ok := item.(string)
			require.Truef(t, ok, "list item %v is not a string", item)
			list[i] = s
		}
		return list
	default:
		require.Failf(t, "not a string or list", "%T %v", value, value)
		return nil
	}
}

// policyStatements decodes the inline policy of an aws_iam_role_policy and
// returns its statements by Sid.
func policyStatements(t *testing.T, doc synthtest.Document, name string) map[string]map[string]any {
	t.Helper()
	policy := synthtest.JSON(t, doc.Resource(t, "aws_iam_role_policy", name)["policy"])
	assert.Equal(t, "2012-10-17", policy["Version"])

	bySid := map[string]map[string]any{}
	for _, raw := range policy["Statement"].([]any) {
		statement := raw.(map[string]any)
		sid, _ := statement["Sid"].(string)
		require.NotEmpty(t, sid, "every statement has a Sid")
		require.NotContains(t, bySid, sid, "Sids are unique")
		bySid[sid] = statement
	}
	return bySid
}

// readVerbs are the action name prefixes of read-only calls.
var readVerbs = []string{"Describe", "Get", "List"}

// assertLeastPrivilege checks every statement of a policy: no action
// contains a wildcard, every statement allows, and a statement whose
// resources include "*" contains only actions from unscoped, each of them a
// read call. unscoped lists the actions AWS documents as supporting no
// resource-level permissions.
func assertLeastPrivilege(t *testing.T, statements map[string]map[string]any, unscoped []string) {
	t.Helper()
	for sid, statement := range statements {
		assert.Equalf(t, "Allow", statement["Effect"], "statement %s", sid)
		actions := stringList(t, statement["Action"])
		require.NotEmptyf(t, actions, "statement %s has no actions", sid)
		for _, action := range actions {
			assert.NotContainsf(t, action, "*", "statement %s has a wildcard action", sid)
		}

		resources := stringList(t, statement["Resource"])
		require.NotEmptyf(t, resources, "statement %s has no resources", sid)
		for _, resource := range resources {
			if resource != "*" {
				isARN := strings.HasPrefix(resource, "arn:aws:") || strings.HasPrefix(resource, "${")
				assert.Truef(t, isARN, "statement %s resource %q is neither an ARN nor a reference", sid, resource)
				continue
			}
			for _, action := range actions {
				assert.Containsf(t, unscoped, action, "statement %s grants %s on \"*\"", sid, action)
				verb := action[strings.Index(action, ":")+1:]
				assert.Truef(t, hasAnyPrefix(verb, readVerbs), "statement %s grants the write action %s on \"*\"", sid, action)
			}
		}
	}
}

func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// assertTolerates checks that a tolerations list tolerates the system node
// taint with any value and effect.
func assertTolerates(t *testing.T, tolerations any, where string) {
	t.Helper()
	list, ok := tolerations.([]any)
	require.Truef(t, ok, "%s: tolerations missing", where)
	assert.Containsf(t, list, map[string]any{"key": "CriticalAddonsOnly", "operator": "Exists"}, "%s", where)
}

// assertAssociation checks the Pod Identity association of an add-on and
// that the release waits for it.
func assertAssociation(t *testing.T, doc synthtest.Document, id, namespace, serviceAccount string) {
	t.Helper()
	association := doc.Resource(t, "aws_eks_pod_identity_association", id+"_pod_identity_association")
	assert.Equal(t, "prod-usw2", association["cluster_name"])
	assert.Equal(t, namespace, association["namespace"])
	assert.Equal(t, serviceAccount, association["service_account"])
	assert.Equal(t, "${aws_iam_role."+id+"_pod_identity_role.arn}", association["role_arn"])

	release := doc.Resource(t, "helm_release", id+"_release")
	assert.Contains(t, stringList(t, release["depends_on"]), "aws_eks_pod_identity_association."+id+"_pod_identity_association")
}

// assertRelease checks the pinned chart of a release.
func assertRelease(t *testing.T, release map[string]any, name, namespace, repository, chart, version string) {
	t.Helper()
	assert.Equal(t, name, release["name"])
	assert.Equal(t, namespace, release["namespace"])
	assert.Equal(t, repository, release["repository"])
	assert.Equal(t, chart, release["chart"])
	assert.Equal(t, version, release["version"])
	assert.Equal(t, true, release["create_namespace"])
}

func TestClusterInfoValidate(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(*ClusterInfo)
		want   string
	}{
		{"empty name", func(c *ClusterInfo) { c.Name = "" }, "Cluster.Name is empty"},
		{"invalid name", func(c *ClusterInfo) { c.Name = "prod usw2" }, `Cluster.Name: "prod usw2" is not a valid EKS cluster name`},
		{"name too long for role", func(c *ClusterInfo) { c.Name = strings.Repeat("a", 60) }, "Cluster.Name: \"" + strings.Repeat("a", 60) + "\" makes the IAM role name"},
		{"missing name token", func(c *ClusterInfo) { c.NameToken = nil }, "Cluster.NameToken is missing"},
		{"missing ARN", func(c *ClusterInfo) { c.ARN = nil }, "Cluster.ARN is missing"},
		{"bad account", func(c *ClusterInfo) { c.AccountID = "1234" }, `Cluster.AccountID: "1234" is not a 12-digit AWS account ID`},
		{"bad region", func(c *ClusterInfo) { c.Region = "usw2" }, `Cluster.Region: "usw2" is not an AWS region name`},
		{"unsupported partition", func(c *ClusterInfo) { c.Partition = "aws-cn" }, `Cluster.Partition: "aws-cn" is not supported`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cluster := testCluster()
			c.mutate(&cluster)
			cfg := ExternalDNSConfig{Cluster: cluster, ZoneIDs: []*string{jsii.String("Z0123456789ABC")}, DomainFilters: []string{"usw2.prod.honeyhive.ai"}}.withDefaults()
			assert.ErrorContains(t, cfg.Validate(), "ExternalDNSConfig."+c.want)
		})
	}
}

func TestClusterInfoDefaultsPartition(t *testing.T) {
	assert.Equal(t, "aws", testCluster().withDefaults().Partition)

	gov := testCluster()
	gov.Partition = "aws-us-gov"
	assert.Equal(t, "aws-us-gov", gov.withDefaults().Partition)
}

func TestConstructorsPanicOnInvalidConfig(t *testing.T) {
	invalid := testCluster()
	invalid.ARN = nil

	cases := []struct {
		name string
		new  func(stack cdktf.TerraformStack)
	}{
		{"load balancer controller", func(s cdktf.TerraformStack) {
			NewLoadBalancerController(s, "lbc", LoadBalancerControllerConfig{Cluster: invalid})
		}},
		{"external-dns", func(s cdktf.TerraformStack) {
			NewExternalDNS(s, "dns", ExternalDNSConfig{Cluster: testCluster(), DomainFilters: []string{"usw2.prod.honeyhive.ai"}})
		}},
		{"cert-manager", func(s cdktf.TerraformStack) {
			NewCertManager(s, "cm", CertManagerConfig{Cluster: testCluster(), ZoneIDs: []*string{jsii.String("Z1"), nil}})
		}},
		{"external-secrets", func(s cdktf.TerraformStack) {
			NewExternalSecrets(s, "es", ExternalSecretsConfig{Cluster: testCluster(), SecretsPrefix: "prod/usw2", SecretsKMSKeyARN: jsii.String(testKeyARN)})
		}},
		{"metrics-server", func(s cdktf.TerraformStack) {
			NewMetricsServer(s, "ms", MetricsServerConfig{Cluster: invalid})
		}},
		{"argo cd", func(s cdktf.TerraformStack) {
			NewArgoCD(s, "argo", ArgoCDConfig{Cluster: testCluster(), ChartVersion: "10.x"})
		}},
	}
	stack := synthtest.Stack(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.Panics(t, func() { c.new(stack) })
		})
	}
}
