package policy

import (
	"fmt"
	"strings"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
)

// suppressionsKey is the key, inside a resource's "//" comment block, of
// its suppressions. Terraform ignores that block.
const suppressionsKey = "policy_suppressions"

// minReasonLength keeps a reason from being a placeholder such as "ok".
const minReasonLength = 20

// Suppress exempts resource from the rule ruleID, for the written reason.
// It panics on an unknown rule or a reason shorter than 20 characters: an
// exception without its reason is not allowed.
func Suppress(resource cdktf.TerraformResource, ruleID, reason string) {
	if _, ok := Lookup(ruleID); !ok || ruleID == suppressionRule {
		panic(fmt.Sprintf("policy: Suppress: unknown rule %q; use one of the IDs in policy.Rules() other than %s", ruleID, suppressionRule))
	}
	if len(strings.TrimSpace(reason)) < minReasonLength {
		panic(fmt.Sprintf("policy: Suppress %s: the reason %q is too short; say why the resource is exempt, in at least %d characters", ruleID, reason, minReasonLength))
	}
	resource.AddOverride(jsii.String("//."+suppressionsKey+"."+ruleID), jsii.String(reason))
}

// suppressionOf returns the reason res is exempt from rule, if it is.
func suppressionOf(res map[string]any, rule string) (string, bool) {
	suppressions, _ := dig(res, "//", suppressionsKey).(map[string]any)
	reason, ok := suppressions[rule].(string)
	return reason, ok
}

// suppressionRule is the rule that checks the suppressions themselves; it
// cannot be suppressed.
const suppressionRule = "HH-POLICY-001"

// suppressionsWellFormed reports suppressions that name no rule of the pack
// or give no reason, such as ones written into the "//" block by hand.
// Check reports those that excuse nothing.
func suppressionsWellFormed(s *Stack) []finding {
	var out []finding
	for _, r := range s.allResources() {
		suppressions, _ := dig(r.body, "//", suppressionsKey).(map[string]any)
		for _, rule := range sortedKeys(suppressions) {
			reason, _ := suppressions[rule].(string)
			if _, ok := Lookup(rule); !ok || rule == suppressionRule {
				out = append(out, finding{r.address(), fmt.Sprintf("it suppresses %q, which is not a rule that can be suppressed", rule),
					"suppress one of the rules in policy.Rules() through policy.Suppress"})
			}
			if len(strings.TrimSpace(reason)) < minReasonLength {
				out = append(out, finding{r.address(), fmt.Sprintf("its suppression of %s has the reason %q", rule, reason),
					fmt.Sprintf("say why the resource is exempt, in at least %d characters, through policy.Suppress", minReasonLength)})
			}
		}
	}
	return out
}
