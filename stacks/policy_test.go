package stacks

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/honeyhive/platform/environments"
	"github.com/honeyhive/platform/policy"
)

// TestFleetPassesThePolicyPack checks every bundled stack against every
// rule, as the app does before it writes cdktf.out, and pins the list of
// exceptions so that a new one is a reviewed change of this test.
func TestFleetPassesThePolicyPack(t *testing.T) {
	s := synthAll(t)
	tiers := map[string]string{}
	for _, e := range environments.All() {
		tiers[e.Name] = string(e.Tier)
	}
	var checked []policy.Stack
	for _, b := range s.built {
		checked = append(checked, policy.Stack{Name: b.Name, Region: b.Region, Tier: tiers[b.Environment], Document: s.docs[b.Name]})
	}

	report := policy.Check(checked)

	for _, v := range report.Violations {
		t.Errorf("violation: %s", v)
	}
	// Each exception by rule and construct path below its stack, with how
	// many stacks have it.
	suppressed := map[string]int{}
	for _, sup := range report.Suppressions {
		_, path, _ := strings.Cut(sup.Path, "/")
		suppressed[sup.Rule+" "+path]++
		assert.NotEmptyf(t, sup.Reason, "%s on %s has no reason", sup.Rule, sup.Path)
	}
	assert.Equal(t, map[string]int{
		// The target deploy role of each HoneyHive account.
		"HH-IAM-002 deploy_role/administrator_access": 4,
		// The audit trail's access log bucket of each HoneyHive account.
		"HH-S3-001 audit/access_log_bucket": 4,
		// The Twingate connectors' token secrets and Container Insights log
		// group of each region.
		"HH-STATE-001 twingate/connector_0_secret":           9,
		"HH-STATE-001 twingate/connector_1_secret":           9,
		"HH-STATE-001 twingate/container_insights_log_group": 9,
	}, suppressed)
}
