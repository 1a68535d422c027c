package tenancy

import (
	"fmt"
	"net/netip"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/cloudwatchloggroup"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"sigs.k8s.io/yaml"

	"github.com/honeyhive/platform/internal/synthtest"
)

// clusterToken returns the name of a Terraform variable, a token like the
// aws_eks_cluster resource's name.
func clusterToken(stack cdktf.TerraformStack) *string {
	return cdktf.NewTerraformVariable(stack, jsii.String("cluster_name"), &cdktf.TerraformVariableConfig{
		Type: jsii.String("string"),
	}).StringValue()
}

// synthTenancy builds cfg under the ID "tenancy" in a fresh stack and
// returns the synthesized document.
func synthTenancy(t *testing.T, cfg Config) synthtest.Document {
	t.Helper()
	stack := synthtest.Stack(t)
	New(stack, "tenancy", cfg)
	return synthtest.Synth(t, stack)
}

// releaseObjects decodes the manifests of the tenants release and returns
// them by "<kind> <namespace>/<name>", with an empty namespace for
// cluster-scoped objects. It fails the test on a duplicate key.
func releaseObjects(t *testing.T, doc synthtest.Document) map[string]map[string]any {
	t.Helper()
	r := doc.Resource(t, "helm_release", "tenancy_manifests_release")
	documents, ok := r["values"].([]any)
	require.True(t, ok, "release has no values list")
	require.Len(t, documents, 1)

	var values struct {
		Manifests []map[string]any `json:"manifests"`
	}
	require.NoError(t, yaml.Unmarshal([]byte(documents[0].(string)), &values))

	objects := map[string]map[string]any{}
	for _, m := range values.Manifests {
		meta, _ := m["metadata"].(map[string]any)
		key := fmt.Sprintf("%v %v/%v", m["kind"], stringOrEmpty(meta["namespace"]), meta["name"])
		require.NotContains(t, objects, key, "object %s appears twice", key)
		objects[key] = m
	}
	return objects
}

// object returns the decoded object with key and fails the test when it is
// missing.
func object(t *testing.T, objects map[string]map[string]any, key string) map[string]any {
	t.Helper()
	o, ok := objects[key]
	require.Truef(t, ok, "object %s not found", key)
	return o
}

// fromYAML decodes a YAML literal the way releaseObjects decodes the
// release, so that numbers and empty maps compare equal.
func fromYAML(t *testing.T, text string) any {
	t.Helper()
	var v any
	require.NoError(t, yaml.Unmarshal([]byte(text), &v))
	return v
}

func stringOrEmpty(v any) string {
	s, _ := v.(string)
	return s
}

// policyNames are the network policies every tenant gets.
var policyNames = []string{
	"default-deny", "allow-dns", "allow-same-namespace", "allow-monitoring", "allow-load-balancer", "allow-https-egress", "allow-pod-identity",
	"allow-telemetry", "allow-database",
}

func TestNewRelease(t *testing.T) {
	stack := synthtest.Stack(t)
	dependency := cloudwatchloggroup.NewCloudwatchLogGroup(stack, jsii.String("dependency"), &cloudwatchloggroup.CloudwatchLogGroupConfig{
		Name: jsii.String("dependency"),
	})
	cfg := validConfig()
	cfg.DependsOn = []cdktf.ITerraformDependable{dependency}
	tenancy := New(stack, "tenancy", cfg)
	doc := synthtest.Synth(t, stack)

	assert.Len(t, doc.Resources("helm_release"), 1, "all tenants share one release")
	r := doc.Resource(t, "helm_release", "tenancy_manifests_release")
	assert.Equal(t, "tenants", r["name"])
	assert.Equal(t, "kube-system", r["namespace"])
	assert.Equal(t, true, r["atomic"])
	assert.Contains(t, r["depends_on"], "aws_cloudwatch_log_group.dependency")

	objects := releaseObjects(t, doc)
	assert.Len(t, objects, 1+2*13, "one ClusterRole, and per tenant a namespace, quota, limit range, nine network policies and a binding")
	assert.Equal(t, []string{"team-ingest", "team-evals"}, tenancy.Namespaces)
	assert.NotNil(t, tenancy.Release)
}

func TestNewNamespaces(t *testing.T) {
	objects := releaseObjects(t, synthTenancy(t, validConfig()))

	for _, name := range []string{"team-ingest", "team-evals"} {
		t.Run(name, func(t *testing.T) {
			ns := object(t, objects, "Namespace /"+name)
			assert.Equal(t, "v1", ns["apiVersion"])
			labels := ns["metadata"].(map[string]any)["labels"]
			assert.Equal(t, map[string]any{
				"platform.honeyhive.ai/tenant":       name,
				"pod-security.kubernetes.io/enforce": "restricted",
				"pod-security.kubernetes.io/audit":   "restricted",
				"pod-security.kubernetes.io/warn":    "restricted",
			}, labels)
		})
	}
}

func TestNewQuotas(t *testing.T) {
	cfg := validConfig()
	cfg.Tenants[0].StorageGiB = 500
	objects := releaseObjects(t, synthTenancy(t, cfg))

	cases := []struct {
		namespace string
		want      map[string]any
	}{
		{"team-ingest", map[string]any{
			"requests.cpu": "32", "limits.cpu": "32",
			"requests.memory": "128Gi", "limits.memory": "128Gi",
			"pods":                   "200",
			"requests.storage":       "500Gi",
			"persistentvolumeclaims": "20",
			"services.loadbalancers": "0",
			"services.nodeports":     "0",
		}},
		{"team-evals", map[string]any{
			"requests.cpu": "8", "limits.cpu": "8",
			"requests.memory": "24Gi", "limits.memory": "24Gi",
			"pods":                   "50",
			"requests.storage":       "100Gi",
			"persistentvolumeclaims": "20",
			"services.loadbalancers": "0",
			"services.nodeports":     "0",
		}},
	}
	for _, c := range cases {
		t.Run(c.namespace, func(t *testing.T) {
			quota := object(t, objects, "ResourceQuota "+c.namespace+"/tenant-quota")
			assert.Equal(t, "v1", quota["apiVersion"])
			assert.Equal(t, c.want, quota["spec"].(map[string]any)["hard"])
		})
	}
}

func TestNewLimitRanges(t *testing.T) {
	objects := releaseObjects(t, synthTenancy(t, validConfig()))

	cases := []struct {
		namespace string
		want      string
	}{
		{"team-ingest", `
limits:
- type: Container
  defaultRequest: {cpu: 100m, memory: 128Mi}
  default: {cpu: 500m, memory: 512Mi}
  max: {cpu: "32", memory: 128Gi}
`},
		{"team-evals", `
limits:
- type: Container
  defaultRequest: {cpu: 100m, memory: 128Mi}
  default: {cpu: 500m, memory: 512Mi}
  max: {cpu: "8", memory: 24Gi}
`},
	}
	for _, c := range cases {
		t.Run(c.namespace, func(t *testing.T) {
			limits := object(t, objects, "LimitRange "+c.namespace+"/tenant-limits")
			assert.Equal(t, fromYAML(t, c.want), limits["spec"])
		})
	}
}

func TestNewNetworkPolicies(t *testing.T) {
	objects := releaseObjects(t, synthTenancy(t, validConfig()))

	want := map[string]string{
		"default-deny": `
podSelector: {}
policyTypes: [Ingress, Egress]
`,
		"allow-dns": `
podSelector: {}
policyTypes: [Egress]
egress:
- to:
  - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}
    podSelector: {matchLabels: {k8s-app: kube-dns}}
  ports:
  - {protocol: UDP, port: 53}
  - {protocol: TCP, port: 53}
`,
		"allow-same-namespace": `
podSelector: {}
policyTypes: [Ingress, Egress]
ingress:
- from: [{podSelector: {}}]
egress:
- to: [{podSelector: {}}]
`,
		"allow-monitoring": `
podSelector: {}
policyTypes: [Ingress]
ingress:
- from:
  - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: monitoring}}
`,
		"allow-load-balancer": `
podSelector: {}
policyTypes: [Ingress]
ingress:
- from:
  - ipBlock: {cidr: 10.20.0.0/24}
  - ipBlock: {cidr: 10.20.1.0/24}
  - ipBlock: {cidr: 10.20.2.0/24}
`,
		"allow-https-egress": `
podSelector: {}
policyTypes: [Egress]
egress:
- to:
  - ipBlock: {cidr: 0.0.0.0/0, except: [169.254.0.0/16]}
  ports:
  - {protocol: TCP, port: 443}
`,
		"allow-pod-identity": `
podSelector: {}
policyTypes: [Egress]
egress:
- to:
  - ipBlock: {cidr: 169.254.170.23/32}
  ports:
  - {protocol: TCP, port: 80}
`,
		"allow-telemetry": `
podSelector: {}
policyTypes: [Egress]
egress:
- to:
  - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: monitoring}}
  ports:
  - {protocol: TCP, port: 4317}
  - {protocol: TCP, port: 4318}
`,
		"allow-database": `
podSelector: {}
policyTypes: [Egress]
egress:
- to:
  - ipBlock: {cidr: 10.20.32.0/24}
  - ipBlock: {cidr: 10.20.33.0/24}
  ports:
  - {protocol: TCP, port: 5432}
`,
	}
	require.Len(t, want, len(policyNames))

	for _, namespace := range []string{"team-ingest", "team-evals"} {
		for _, name := range policyNames {
			t.Run(namespace+"/"+name, func(t *testing.T) {
				policy := object(t, objects, "NetworkPolicy "+namespace+"/"+name)
				assert.Equal(t, "networking.k8s.io/v1", policy["apiVersion"])
				assert.Equal(t, fromYAML(t, want[name]), policy["spec"])
			})
		}
	}

	var count int
	for key := range objects {
		if strings.HasPrefix(key, "NetworkPolicy ") {
			count++
		}
	}
	assert.Equal(t, 2*len(policyNames), count, "no network policies beyond the listed ones")
}

// TestNewDeniesOtherIngress checks the whole set of policies of a tenant:
// every pod is isolated in both directions, and the sources and
// destinations the policies allow are exactly the intended ones.
func TestNewDeniesOtherIngress(t *testing.T) {
	objects := releaseObjects(t, synthTenancy(t, validConfig()))

	for _, namespace := range []string{"team-ingest", "team-evals"} {
		t.Run(namespace, func(t *testing.T) {
			deny := object(t, objects, "NetworkPolicy "+namespace+"/default-deny")["spec"].(map[string]any)
			assert.Equal(t, map[string]any{}, deny["podSelector"], "default-deny selects every pod")
			assert.ElementsMatch(t, []any{"Ingress", "Egress"}, deny["policyTypes"])
			assert.NotContains(t, deny, "ingress", "default-deny allows no ingress")
			assert.NotContains(t, deny, "egress", "default-deny allows no egress")

			var sources, destinations []any
			for _, name := range policyNames {
				spec := object(t, objects, "NetworkPolicy "+namespace+"/"+name)["spec"].(map[string]any)
				for _, rule := range listOf(spec["ingress"]) {
					peers := listOf(rule.(map[string]any)["from"])
					require.NotEmpty(t, peers, "%s: an ingress rule without sources would allow every source", name)
					sources = append(sources, peers...)
				}
				for _, rule := range listOf(spec["egress"]) {
					peers := listOf(rule.(map[string]any)["to"])
					require.NotEmpty(t, peers, "%s: an egress rule without destinations would allow every destination", name)
					destinations = append(destinations, peers...)
				}
			}

			assert.ElementsMatch(t, fromYAML(t, `
- podSelector: {}
- namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: monitoring}}
- ipBlock: {cidr: 10.20.0.0/24}
- ipBlock: {cidr: 10.20.1.0/24}
- ipBlock: {cidr: 10.20.2.0/24}
`), sources, "ingress comes only from the namespace, monitoring and the load balancers")

			assert.ElementsMatch(t, fromYAML(t, `
- namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}
  podSelector: {matchLabels: {k8s-app: kube-dns}}
- podSelector: {}
- ipBlock: {cidr: 0.0.0.0/0, except: [169.254.0.0/16]}
- ipBlock: {cidr: 169.254.170.23/32}
- namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: monitoring}}
- ipBlock: {cidr: 10.20.32.0/24}
- ipBlock: {cidr: 10.20.33.0/24}
`), destinations, "egress goes only to DNS, the namespace, HTTPS outside the link-local range, the Pod Identity agent, telemetry and the database")
		})
	}
}

func listOf(v any) []any {
	list, _ := v.([]any)
	return list
}

// ipBlockAdmits reports whether peer is an ipBlock whose range contains
// addr outside its exceptions.
func ipBlockAdmits(peer any, addr netip.Addr) bool {
	block, ok := peer.(map[string]any)["ipBlock"].(map[string]any)
	if !ok || !netip.MustParsePrefix(block["cidr"].(string)).Contains(addr) {
		return false
	}
	for _, except := range listOf(block["except"]) {
		if netip.MustParsePrefix(except.(string)).Contains(addr) {
			return false
		}
	}
	return true
}

// TestNewEgressToLinkLocal checks the two link-local services on every
// node: pods reach the Pod Identity agent on TCP 80 only, and never the
// instance metadata service.
func TestNewEgressToLinkLocal(t *testing.T) {
	objects := releaseObjects(t, synthTenancy(t, validConfig()))
	metadataService := netip.MustParseAddr("169.254.169.254")
	podIdentityAgent := netip.MustParseAddr("169.254.170.23")

	for _, namespace := range []string{"team-ingest", "team-evals"} {
		t.Run(namespace, func(t *testing.T) {
			var agentPorts []any
			for _, name := range policyNames {
				spec := object(t, objects, "NetworkPolicy "+namespace+"/"+name)["spec"].(map[string]any)
				for _, r := range listOf(spec["egress"]) {
					rule := r.(map[string]any)
					for _, peer := range listOf(rule["to"]) {
						assert.False(t, ipBlockAdmits(peer, metadataService), "%s allows egress to the instance metadata service", name)
						if ipBlockAdmits(peer, podIdentityAgent) {
							require.NotEmpty(t, listOf(rule["ports"]), "%s opens every port of the Pod Identity agent's address", name)
							agentPorts = append(agentPorts, listOf(rule["ports"])...)
						}
					}
				}
			}
			assert.Equal(t, fromYAML(t, `[{protocol: TCP, port: 80}]`), agentPorts, "the Pod Identity agent is reachable on TCP 80 only")
		})
	}
}

func TestNewMonitoringNamespace(t *testing.T) {
	cfg := validConfig()
	cfg.MonitoringNamespace = "observability"
	objects := releaseObjects(t, synthTenancy(t, cfg))

	spec := object(t, objects, "NetworkPolicy team-evals/allow-monitoring")["spec"]
	assert.Equal(t, fromYAML(t, `
podSelector: {}
policyTypes: [Ingress]
ingress:
- from:
  - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: observability}}
`), spec)
}

func TestNewTelemetryNamespace(t *testing.T) {
	cfg := validConfig()
	cfg.TelemetryNamespace = "otel"
	objects := releaseObjects(t, synthTenancy(t, cfg))

	telemetry := object(t, objects, "NetworkPolicy team-ingest/allow-telemetry")["spec"]
	assert.Equal(t, fromYAML(t, `
podSelector: {}
policyTypes: [Egress]
egress:
- to:
  - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: otel}}
  ports:
  - {protocol: TCP, port: 4317}
  - {protocol: TCP, port: 4318}
`), telemetry)

	monitoring := object(t, objects, "NetworkPolicy team-ingest/allow-monitoring")["spec"].(map[string]any)
	assert.Equal(t, fromYAML(t, `
- from:
  - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: monitoring}}
`), monitoring["ingress"], "scrapes still come from the monitoring namespace")
}

func TestNewWithoutLoadBalancersAndWithSettings(t *testing.T) {
	cfg := validConfig()
	cfg.LoadBalancerSourceCIDRs = nil
	cfg.Settings = map[string]string{"control-plane-endpoint": "https://api.example.com"}
	objects := releaseObjects(t, synthTenancy(t, cfg))

	for _, namespace := range []string{"team-ingest", "team-evals"} {
		t.Run(namespace, func(t *testing.T) {
			assert.NotContains(t, objects, "NetworkPolicy "+namespace+"/allow-load-balancer", "no load balancer ranges, no policy")

			settings, ok := objects["ConfigMap "+namespace+"/"+SettingsConfigMap]
			require.True(t, ok, "every tenant gets the settings ConfigMap")
			assert.Equal(t, map[string]any{"control-plane-endpoint": "https://api.example.com"}, settings["data"])
		})
	}
}

func TestNewWithoutSettingsHasNoConfigMap(t *testing.T) {
	objects := releaseObjects(t, synthTenancy(t, validConfig()))
	for key := range objects {
		assert.NotContains(t, key, "ConfigMap ", "no settings, no ConfigMap")
	}
}

func TestNewWithoutDatabaseCIDRs(t *testing.T) {
	cfg := validConfig()
	cfg.DatabaseCIDRs = nil
	objects := releaseObjects(t, synthTenancy(t, cfg))

	for _, namespace := range []string{"team-ingest", "team-evals"} {
		t.Run(namespace, func(t *testing.T) {
			assert.NotContains(t, objects, "NetworkPolicy "+namespace+"/allow-database", "no database ranges, no policy")
			assert.Contains(t, objects, "NetworkPolicy "+namespace+"/allow-telemetry", "telemetry does not depend on the database")

			for key, o := range objects {
				if o["kind"] != "NetworkPolicy" || !strings.HasPrefix(key, "NetworkPolicy "+namespace+"/") {
					continue
				}
				for _, r := range listOf(o["spec"].(map[string]any)["egress"]) {
					for _, port := range listOf(r.(map[string]any)["ports"]) {
						assert.NotEqual(t, float64(5432), port.(map[string]any)["port"], "%s opens the PostgreSQL port", key)
					}
				}
			}
		})
	}
}

func TestNewRoleBindings(t *testing.T) {
	objects := releaseObjects(t, synthTenancy(t, validConfig()))

	cases := []struct{ namespace, group string }{
		{"team-ingest", "team-ingest-editors"},
		{"team-evals", "team-evals-editors"},
	}
	for _, c := range cases {
		t.Run(c.namespace, func(t *testing.T) {
			binding := object(t, objects, "RoleBinding "+c.namespace+"/"+c.namespace+"-tenant")
			assert.Equal(t, "rbac.authorization.k8s.io/v1", binding["apiVersion"])
			assert.Equal(t, fromYAML(t, `
- {kind: Group, apiGroup: rbac.authorization.k8s.io, name: `+c.group+`}
`), binding["subjects"])
			assert.Equal(t, fromYAML(t, `{apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: honeyhive-tenant}`), binding["roleRef"])
		})
	}

	var bindings int
	for key, o := range objects {
		if o["kind"] != "RoleBinding" {
			continue
		}
		bindings++
		ref := o["roleRef"].(map[string]any)
		assert.Equal(t, "honeyhive-tenant", ref["name"], "%s binds the tenant role, not a built-in one", key)
		assert.Contains(t, objects, fmt.Sprintf("%v /%v", ref["kind"], ref["name"]), "%s refers to a role in the release", key)
	}
	assert.Equal(t, 2, bindings, "one binding per tenant")
}

// ruleGrants returns the verbs the ClusterRole's rules grant, by
// "<group>/<resource>", with "core" for the core API group. It fails the
// test on a wildcard or an empty list in any rule.
func ruleGrants(t *testing.T, role map[string]any) map[string][]any {
	t.Helper()
	grants := map[string][]any{}
	for i, r := range listOf(role["rules"]) {
		rule := r.(map[string]any)
		assert.NotContains(t, rule, "nonResourceURLs", "rules[%d] grants non-resource URLs", i)
		assert.NotContains(t, rule, "resourceNames", "rules[%d] is limited to names", i)
		for _, field := range []string{"apiGroups", "resources", "verbs"} {
			require.NotEmpty(t, listOf(rule[field]), "rules[%d].%s is empty", i, field)
			assert.NotContains(t, listOf(rule[field]), "*", "rules[%d].%s has a wildcard", i, field)
		}

		for _, group := range listOf(rule["apiGroups"]) {
			if group == "" {
				group = "core"
			}
			for _, resource := range listOf(rule["resources"]) {
				key := fmt.Sprintf("%v/%v", group, resource)
				grants[key] = append(grants[key], listOf(rule["verbs"])...)
			}
		}
	}
	return grants
}

func TestNewTenantRole(t *testing.T) {
	objects := releaseObjects(t, synthTenancy(t, validConfig()))

	var roles []string
	for key, o := range objects {
		if o["kind"] == "ClusterRole" {
			roles = append(roles, key)
		}
	}
	assert.Equal(t, []string{"ClusterRole /honeyhive-tenant"}, roles, "all tenants share one ClusterRole")

	role := object(t, objects, "ClusterRole /honeyhive-tenant")
	assert.Equal(t, "rbac.authorization.k8s.io/v1", role["apiVersion"])
	meta := role["metadata"].(map[string]any)
	assert.NotContains(t, meta, "namespace", "a ClusterRole is cluster-scoped")
	assert.Equal(t, map[string]any{"helm.sh/resource-policy": "keep"}, meta["annotations"])

	grants := ruleGrants(t, role)

	t.Run("no forbidden resources", func(t *testing.T) {
		forbidden := []string{
			"networkpolicies", "resourcequotas", "limitranges",
			"roles", "rolebindings", "clusterroles", "clusterrolebindings",
			"namespaces", "daemonsets", "secretstores", "clustersecretstores",
		}
		for key := range grants {
			resource := strings.SplitN(strings.SplitN(key, "/", 2)[1], "/", 2)[0]
			assert.NotContains(t, forbidden, resource, "%s must not be granted", key)
		}
	})

	t.Run("no privilege verbs", func(t *testing.T) {
		for key, verbs := range grants {
			for _, verb := range []string{"escalate", "bind", "impersonate"} {
				assert.NotContains(t, verbs, verb, "%s grants %s", key, verb)
			}
		}
		assert.NotContains(t, grants, "core/serviceaccounts/token", "members act only as themselves")
	})

	t.Run("exact allowlist", func(t *testing.T) {
		var keys []string
		for key := range grants {
			keys = append(keys, key)
		}
		assert.ElementsMatch(t, []string{
			"core/pods", "core/pods/log", "core/pods/exec", "core/pods/portforward",
			"core/services", "core/endpoints", "core/configmaps", "core/secrets",
			"core/serviceaccounts", "core/persistentvolumeclaims", "core/events",
			"apps/deployments", "apps/statefulsets", "apps/replicasets",
			"apps/deployments/scale", "apps/statefulsets/scale", "apps/replicasets/scale",
			"batch/jobs", "batch/cronjobs",
			"autoscaling/horizontalpodautoscalers",
			"policy/poddisruptionbudgets",
			"networking.k8s.io/ingresses",
			"external-secrets.io/externalsecrets",
		}, keys)
	})

	t.Run("verbs", func(t *testing.T) {
		manage := []any{"get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"}
		read := []any{"get", "list", "watch"}
		cases := []struct {
			key  string
			want []any
		}{
			{"core/pods", manage},
			{"core/secrets", manage},
			{"apps/deployments", manage},
			{"external-secrets.io/externalsecrets", manage},
			{"core/pods/log", read},
			{"core/endpoints", read},
			{"core/events", read},
			{"core/pods/exec", []any{"get", "create"}},
			{"core/pods/portforward", []any{"get", "create"}},
			{"apps/deployments/scale", []any{"get", "update", "patch"}},
		}
		for _, c := range cases {
			assert.ElementsMatch(t, c.want, grants[c.key], c.key)
		}
	})
}

func TestNewLabelsAndKeepsObjects(t *testing.T) {
	objects := releaseObjects(t, synthTenancy(t, validConfig()))

	for key, o := range objects {
		meta := o["metadata"].(map[string]any)
		annotations, _ := meta["annotations"].(map[string]any)
		assert.Equal(t, "keep", annotations["helm.sh/resource-policy"], "%s survives its removal from the release", key)

		if o["kind"] == "ClusterRole" {
			continue
		}
		labels, _ := meta["labels"].(map[string]any)
		assert.Contains(t, []any{"team-ingest", "team-evals"}, labels["platform.honeyhive.ai/tenant"], "%s carries the tenant label", key)
		if o["kind"] != "Namespace" {
			assert.Equal(t, labels["platform.honeyhive.ai/tenant"], meta["namespace"], "%s lives in its tenant's namespace", key)
		}
	}
}

func TestNewAccessEntries(t *testing.T) {
	stack := synthtest.Stack(t)
	cfg := validConfig()
	cfg.ClusterName = clusterToken(stack)
	cfg.Tenants = append(cfg.Tenants, Tenant{Name: "team-web", Group: "team-web-editors", RoleARN: evalsRoleARN, CPU: 4, MemoryGiB: 8, Pods: 20})
	tenancy := New(stack, "tenancy", cfg)
	doc := synthtest.Synth(t, stack)

	entries := doc.Resources("aws_eks_access_entry")
	assert.Len(t, entries, 2, "only tenants with a RoleARN get an access entry")
	assert.NotContains(t, entries, "tenancy_access_entry_team_evals")
	assert.Empty(t, doc.Resources("aws_eks_access_policy_association"), "rights come from the RoleBindings")

	cases := []struct{ address, role, group string }{
		{"tenancy_access_entry_team_ingest", ingestRoleARN, "team-ingest-editors"},
		{"tenancy_access_entry_team_web", evalsRoleARN, "team-web-editors"},
	}
	for _, c := range cases {
		t.Run(c.address, func(t *testing.T) {
			entry := doc.Resource(t, "aws_eks_access_entry", c.address)
			assert.Equal(t, "${var.cluster_name}", entry["cluster_name"])
			assert.Equal(t, c.role, entry["principal_arn"])
			assert.Equal(t, "STANDARD", entry["type"])
			assert.Equal(t, []any{c.group}, entry["kubernetes_groups"])
		})
	}

	assert.Len(t, tenancy.AccessEntries, 2)
	assert.Contains(t, tenancy.AccessEntries, "team-ingest")
	assert.Contains(t, tenancy.AccessEntries, "team-web")
}

func TestNewWithoutRoles(t *testing.T) {
	cfg := validConfig()
	cfg.Tenants[0].RoleARN = ""
	cfg.ClusterName = nil
	doc := synthTenancy(t, cfg)

	assert.Empty(t, doc.Resources("aws_eks_access_entry"))
	assert.Len(t, doc.Resources("helm_release"), 1)
}
