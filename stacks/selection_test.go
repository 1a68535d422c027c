package stacks

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/honeyhive/platform/environments"
)

func TestParseSelectionIgnoresBlanks(t *testing.T) {
	sel := ParseSelection(" prod, ,stage", "", "substrate,")

	assert.Equal(t, []string{"prod", "stage"}, sel.Environments)
	assert.Empty(t, sel.Regions)
	assert.Equal(t, []string{"substrate"}, sel.Layers)
	assert.False(t, sel.IsAll())
	assert.True(t, ParseSelection("", "", "").IsAll())
}

func TestSelectionString(t *testing.T) {
	assert.Equal(t, "environments=prod regions=all layers=substrate,bootstrap",
		ParseSelection("prod", "", "substrate,bootstrap").String())
}

func TestSelectionValidateListsValidValues(t *testing.T) {
	envs := environments.All()
	cases := []struct {
		name string
		sel  Selection
		want string
	}{
		{"unknown environment", Selection{Environments: []string{"qa"}}, `unknown environment "qa"; valid environments: test, stage, prod`},
		{"unknown region", Selection{Regions: []string{"ap-south-1"}}, `unknown region "ap-south-1"; valid regions: eu-west-1, us-east-1, us-west-2`},
		{"unknown layer", Selection{Layers: []string{"network"}}, `unknown layer "network"; valid layers: bootstrap, orchestration, global, substrate, hosting, application`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.ErrorContains(t, c.sel.Validate(envs), c.want)
		})
	}
}

func TestSelectionValidateAcceptsCodesAndNames(t *testing.T) {
	sel := Selection{Environments: []string{"prod"}, Regions: []string{"euw1", "us-west-2"}, Layers: []string{"substrate"}}
	require.NoError(t, sel.Validate(environments.All()))
}

// TestSelectionPicksStacks checks which stacks a selection builds without
// synthesizing them.
func TestSelectionPicksStacks(t *testing.T) {
	cases := []struct {
		name string
		sel  Selection
		want []string
	}{
		{
			name: "environment and layer",
			sel:  Selection{Environments: []string{"stage"}, Layers: []string{"substrate"}},
			want: []string{"orchestration", "stage-global", "stage-usw2-substrate", "stage-use1-substrate"},
		},
		{
			name: "region code across environments",
			sel:  Selection{Regions: []string{"use1"}, Layers: []string{"substrate"}},
			want: []string{"orchestration", "stage-global", "stage-use1-substrate", "prod-global", "prod-use1-substrate"},
		},
		{
			name: "all three combined",
			sel:  Selection{Environments: []string{"prod"}, Regions: []string{"eu-west-1"}, Layers: []string{"substrate"}},
			want: []string{"orchestration", "prod-global", "prod-euw1-substrate"},
		},
		{
			name: "bootstrap only",
			sel:  Selection{Layers: []string{"bootstrap"}},
			want: []string{"orchestration-bootstrap"},
		},
		{
			name: "account-wide layers only",
			sel:  Selection{Environments: []string{"prod"}, Layers: []string{"orchestration", "global"}},
			want: []string{"orchestration", "prod-global"},
		},
		{
			name: "environment includes its orchestration bootstrap",
			sel:  Selection{Environments: []string{"test"}},
			want: []string{"orchestration-bootstrap", "orchestration", "test-global", "test-usw2-substrate", "test-usw2-hosting", "test-usw2-application"},
		},
		{
			name: "hosting brings in its substrate",
			sel:  Selection{Environments: []string{"prod"}, Regions: []string{"euw1"}, Layers: []string{"hosting"}},
			want: []string{"orchestration", "prod-global", "prod-euw1-substrate", "prod-euw1-hosting"},
		},
		{
			name: "primary application brings in the DR application it replicates into",
			sel:  Selection{Environments: []string{"stage"}, Regions: []string{"usw2"}, Layers: []string{"application"}},
			want: []string{"orchestration", "stage-global", "stage-usw2-substrate", "stage-usw2-hosting", "stage-use1-substrate", "stage-use1-hosting", "stage-use1-application", "stage-usw2-application"},
		},
		{
			name: "EU application stands alone",
			sel:  Selection{Environments: []string{"prod"}, Regions: []string{"euw1"}, Layers: []string{"application"}},
			want: []string{"orchestration", "prod-global", "prod-euw1-substrate", "prod-euw1-hosting", "prod-euw1-application"},
		},
		{
			name: "region with no stacks of that environment",
			sel:  Selection{Environments: []string{"test"}, Regions: []string{"eu-west-1"}, Layers: []string{"substrate"}},
			want: nil,
		},
	}

	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var names []string
			for _, p := range Plan(environments.All(), c.sel) {
				names = append(names, p.Name)
			}
			assert.Equal(t, c.want, names)
		})
	}
}

func TestPlanMarksDependencies(t *testing.T) {
	plan := Plan(environments.All(), Selection{Environments: []string{"prod"}, Regions: []string{"euw1"}, Layers: []string{"hosting"}})
	require.Len(t, plan, 4)

	for _, p := range plan[:3] {
		assert.Truef(t, p.Dependency, "%s is built only because the hosting stack follows it", p.Name)
	}
	assert.False(t, plan[3].Dependency)
}

func TestPlanBringsTheOtherHalfOfAHybridPair(t *testing.T) {
	plan := Plan(environments.All(), Selection{Environments: []string{"globex"}, Layers: []string{"application"}})

	var names []string
	for _, p := range plan {
		names = append(names, p.Name)
		if p.Name != "globex-usw2-application" {
			assert.Truef(t, p.Dependency, "%s is built only for the selected application stack", p.Name)
		}
	}
	assert.Equal(t, []string{
		"orchestration",
		"globex-global", "globex-usw2-substrate", "globex-usw2-hosting",
		"globex-cp-global", "globex-cp-usw2-substrate", "globex-cp-usw2-hosting",
		"globex-usw2-application",
	}, names, "the control plane's hosting stack, which names its PrivateLink service, comes first")
}
