package stacks

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/honeyhive/platform/environments"
)

func planNames(envs []environments.Environment, sel Selection) []string {
	var names []string
	for _, b := range Plan(envs, sel) {
		names = append(names, b.Name)
	}
	return names
}

// TestPartitionCoversThePlan checks that the parts together plan exactly the
// stacks of the whole selection, and that only the orchestration account's
// stacks are planned by more than one part.
func TestPartitionCoversThePlan(t *testing.T) {
	envs := environments.All()
	for _, sel := range []Selection{
		ParseSelection("", "", ""),
		ParseSelection("", "", "application"),
		ParseSelection("", "us-west-2", ""),
	} {
		t.Run(sel.String(), func(t *testing.T) {
			parts := Partition(envs, sel, 2)
			require.Len(t, parts, 2)

			seen := map[string]int{}
			for _, part := range parts {
				for _, name := range planNames(envs, part) {
					seen[name]++
				}
			}
			want := planNames(envs, sel)
			got := make([]string, 0, len(seen))
			for name, count := range seen {
				got = append(got, name)
				if count > 1 {
					assert.Contains(t, []string{"orchestration", "orchestration-bootstrap"}, name, "planned %d times", count)
				}
			}
			assert.ElementsMatch(t, want, got)
		})
	}
}

func TestPartitionKeepsHybridPairsTogether(t *testing.T) {
	parts := Partition(environments.All(), ParseSelection("", "", ""), 4)
	require.NotEmpty(t, parts)

	var all []string
	for _, part := range parts {
		if slices.Contains(part.Environments, "globex") {
			assert.Contains(t, part.Environments, "globex-cp")
		}
		all = append(all, part.Environments...)
	}
	assert.ElementsMatch(t, []string{"test", "stage", "prod", "acme", "globex-cp", "globex"}, all, "each environment once")
}

// TestPartitionLeavesUnselectedPeersOut checks that the other half of a
// hybrid pair, when the selection does not name it, is left to the planning
// of the half that reads it instead of being selected whole.
func TestPartitionLeavesUnselectedPeersOut(t *testing.T) {
	parts := Partition(environments.All(), ParseSelection("globex,test,stage,prod", "", ""), 2)
	require.Len(t, parts, 2)

	for _, part := range parts {
		assert.NotContains(t, part.Environments, "globex-cp")
	}
}

func TestPartitionBalancesStacks(t *testing.T) {
	envs := environments.All()
	parts := Partition(envs, ParseSelection("", "", ""), 2)
	require.Len(t, parts, 2)

	// The largest indivisible share is prod with 10 stacks; a greedy split
	// is never further apart than that.
	a, b := len(planNames(envs, parts[0])), len(planNames(envs, parts[1]))
	assert.LessOrEqual(t, max(a-b, b-a), 10, "stacks per part: %d and %d", a, b)
}

func TestPartitionNeedsTwoShares(t *testing.T) {
	envs := environments.All()
	assert.Nil(t, Partition(envs, ParseSelection("", "", ""), 1), "one process")
	assert.Nil(t, Partition(envs, ParseSelection("prod", "", ""), 2), "one environment")
	assert.Nil(t, Partition(envs, ParseSelection("globex,globex-cp", "", ""), 2), "one hybrid pair")
	assert.Nil(t, Partition(envs, ParseSelection("", "", "bootstrap"), 2), "only the orchestration account's stacks")
	assert.Nil(t, Partition(envs, ParseSelection("test,acme,globex", "", ""), 2), "15 stacks, too few for two parts")
	assert.Len(t, Partition(envs, ParseSelection("", "", ""), 4), 2, "the fleet's 33 stacks make two parts, not four")
}
