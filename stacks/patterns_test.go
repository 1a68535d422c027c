package stacks

import (
	"slices"
	"testing"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/honeyhive/platform/environments"
)

// components returns the IDs of a stack's components: the constructs and
// resources directly below it, without providers, backends, outputs and
// data sources.
func components(stack constructs.IConstruct) []string {
	var ids []string
	for _, child := range *stack.Node().Children() {
		if cdktf.TerraformElement_IsTerraformElement(child) != nil && *cdktf.TerraformElement_IsTerraformElement(child) &&
			!*cdktf.TerraformResource_IsTerraformResource(child) {
			continue
		}
		ids = append(ids, *child.Node().Id())
	}
	slices.Sort(ids)
	return ids
}

// The components each layer has in every pattern.
var (
	substrateBase = []string{"dns", "kms", "network", "twingate"}
	hostingBase   = []string{
		"argocd", "aws_load_balancer_controller", "cert_manager", "eks", "eks_addons", "external_dns",
		"external_secrets", "karpenter", "metrics_server", "storage_class", "system_nodes",
	}
	companyGlobal  = []string{"audit", "backup_key_usw2", "backup_plan_usw2", "backup_vault_usw2", "baseline", "deploy_role", "ebs_key", "plan_role", "public_zone"}
	customerGlobal = []string{"backup_key_usw2", "backup_plan_usw2", "backup_vault_usw2", "operator_access"}
)

// with returns base and extra, sorted.
func with(base []string, extra ...string) []string {
	all := append(slices.Clone(base), extra...)
	slices.Sort(all)
	return all
}

// singleRegion trims env to its primary region.
func singleRegion(env environments.Environment) environments.Environment {
	env.Regions = []environments.Region{env.Primary()}
	return env
}

// TestPatternsDecideStacksAndComponents states, for each deployment
// pattern, exactly which stacks it synthesizes and which components each
// stack has. Every case runs one region, so the lists stay short.
func TestPatternsDecideStacksAndComponents(t *testing.T) {
	dataPlane := singleRegion(environments.Test())
	dataPlane.Name = "eu-data"
	dataPlane.Pattern = environments.PatternDataPlane
	dataPlane.ControlPlane = environments.ControlPlane{Endpoint: "https://api.honeyhive.ai"}

	standaloneControlPlane := environments.GlobexControlPlane()
	standaloneControlPlane.PrivateService = nil

	cases := []struct {
		pattern environments.Pattern
		envs    []environments.Environment
		// stacks maps every stack name to its components.
		stacks map[string][]string
	}{
		{
			pattern: environments.PatternFullStack,
			envs:    []environments.Environment{environments.Test()},
			stacks: map[string][]string{
				"test-global":           companyGlobal,
				"test-usw2-substrate":   with(substrateBase, "endpoints"),
				"test-usw2-hosting":     hostingBase,
				"test-usw2-application": {"data_events", "data_exports", "database", "gitops", "monitoring", "public_entry", "tenancy"},
			},
		},
		{
			pattern: environments.PatternControlPlane,
			envs:    []environments.Environment{standaloneControlPlane},
			stacks: map[string][]string{
				"globex-cp-global":           companyGlobal,
				"globex-cp-usw2-substrate":   with(substrateBase, "endpoints"),
				"globex-cp-usw2-hosting":     hostingBase,
				"globex-cp-usw2-application": {"gitops", "monitoring", "public_entry", "tenancy"},
			},
		},
		{
			pattern: environments.PatternDataPlane,
			envs:    []environments.Environment{dataPlane},
			stacks: map[string][]string{
				"eu-data-global":           companyGlobal,
				"eu-data-usw2-substrate":   with(substrateBase, "endpoints"),
				"eu-data-usw2-hosting":     hostingBase,
				"eu-data-usw2-application": {"data_events", "data_exports", "database", "gitops", "monitoring", "public_entry", "tenancy"},
			},
		},
		{
			pattern: environments.PatternFederatedBYOC,
			envs:    []environments.Environment{environments.Acme()},
			stacks: map[string][]string{
				"acme-global":         customerGlobal,
				"acme-usw2-substrate": substrateBase,
				"acme-usw2-hosting":   hostingBase,
				// No public entry: nothing in a customer's account is
				// reachable from the internet.
				"acme-usw2-application": {"data_events", "database", "gitops", "monitoring", "tenancy"},
			},
		},
		{
			pattern: environments.PatternHybridSaaS,
			envs:    []environments.Environment{environments.GlobexControlPlane(), environments.Globex()},
			stacks: map[string][]string{
				"globex-cp-global":           companyGlobal,
				"globex-cp-usw2-substrate":   with(substrateBase, "endpoints"),
				"globex-cp-usw2-hosting":     with(hostingBase, "private_link"),
				"globex-cp-usw2-application": {"gitops", "monitoring", "private_link_binding", "private_link_globex", "public_entry", "tenancy"},
				"globex-global":              customerGlobal,
				"globex-usw2-substrate":      with(substrateBase, "endpoints"),
				"globex-usw2-hosting":        with(hostingBase, "private_link"),
				"globex-usw2-application":    {"data_events", "database", "gitops", "monitoring", "private_link_binding", "private_link_globex_cp", "tenancy"},
			},
		},
	}

	covered := map[environments.Pattern]bool{}
	for _, c := range cases {
		covered[c.pattern] = true
		t.Run(string(c.pattern), func(t *testing.T) {
			envs := make([]environments.Environment, len(c.envs))
			for i, e := range c.envs {
				envs[i] = e.WithDefaults()
			}
			require.NoError(t, environments.Validate(envs), "the case's environments are valid")

			app := cdktf.Testing_App(&cdktf.TestingAppConfig{Outdir: jsii.String(t.TempDir()), StubVersion: jsii.Bool(true)})
			built := Build(app, envs, Selection{}, Options{})

			got := map[string][]string{}
			for _, b := range built {
				if b.Layer == LayerBootstrap || b.Layer == LayerOrchestration {
					continue
				}
				got[b.Name] = components(app.Node().FindChild(jsii.String(b.Name)))
			}
			assert.Equal(t, c.stacks, got)
		})
	}
	for _, p := range []environments.Pattern{
		environments.PatternFullStack, environments.PatternControlPlane, environments.PatternDataPlane,
		environments.PatternFederatedBYOC, environments.PatternHybridSaaS,
	} {
		assert.Truef(t, covered[p], "pattern %q has no case", p)
	}
}
