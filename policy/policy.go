package policy

import (
	"fmt"
	"slices"
	"strings"
)

// Rule is one named check.
type Rule struct {
	// ID is stable: suppressions and reports name rules by it.
	ID string

	// Title names the requirement in a few words.
	Title string

	// Rationale is one line on why the rule exists.
	Rationale string

	check func(s *Stack) []finding
}

// finding is one resource that breaks a rule.
type finding struct {
	address string // "<type>.<name>"
	problem string
	fix     string
}

// Stack is one synthesized stack and what the rules need to know about it
// besides its JSON.
type Stack struct {
	Name string

	// Region is the stack's default AWS region.
	Region string

	// Tier is the environment's tier ("test", "stage", "prod"), or empty
	// for a stack of the orchestration account.
	Tier string

	// Document is the decoded cdk.tf.json.
	Document map[string]any
}

// Violation is one resource that breaks one rule.
type Violation struct {
	Rule    string `json:"rule"`
	Stack   string `json:"stack"`
	Path    string `json:"path"`
	Address string `json:"address"`
	Problem string `json:"problem"`
	Fix     string `json:"fix"`
}

func (v Violation) String() string {
	return fmt.Sprintf("%s %s (%s in %s): %s. Fix: %s", v.Rule, v.Path, v.Address, v.Stack, v.Problem, v.Fix)
}

// Suppression is one rule that one resource is exempt from, with the
// reason written where the resource is built.
type Suppression struct {
	Rule    string `json:"rule"`
	Stack   string `json:"stack"`
	Path    string `json:"path"`
	Address string `json:"address"`
	Reason  string `json:"reason"`
}

// Report is the outcome of Check.
type Report struct {
	Rules        []RuleInfo    `json:"rules"`
	Violations   []Violation   `json:"violations"`
	Suppressions []Suppression `json:"suppressions"`
}

// RuleInfo describes a rule in a report.
type RuleInfo struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	Rationale string `json:"rationale"`
}

// Check runs every rule on every stack. Violations and suppressions come
// back sorted by stack, path and rule.
func Check(stacks []Stack) Report {
	report := Report{Violations: []Violation{}, Suppressions: []Suppression{}}
	for _, r := range Rules() {
		report.Rules = append(report.Rules, RuleInfo{ID: r.ID, Title: r.Title, Rationale: r.Rationale})
	}

	for i := range stacks {
		s := &stacks[i]
		used := map[string]bool{}
		for _, r := range Rules() {
			for _, f := range r.check(s) {
				res := s.resourceAt(f.address)
				if reason, ok := suppressionOf(res, r.ID); ok && r.ID != suppressionRule {
					used[f.address+" "+r.ID] = true
					if !slices.ContainsFunc(report.Suppressions, func(x Suppression) bool {
						return x.Stack == s.Name && x.Address == f.address && x.Rule == r.ID
					}) {
						report.Suppressions = append(report.Suppressions, Suppression{
							Rule: r.ID, Stack: s.Name, Path: pathOf(res, s.Name, f.address), Address: f.address, Reason: reason,
						})
					}
					continue
				}
				report.Violations = append(report.Violations, Violation{
					Rule: r.ID, Stack: s.Name, Path: pathOf(res, s.Name, f.address), Address: f.address, Problem: f.problem, Fix: f.fix,
				})
			}
		}
		report.Violations = append(report.Violations, unusedSuppressions(s, used)...)
	}

	slices.SortFunc(report.Violations, func(a, b Violation) int {
		return strings.Compare(a.Stack+"\x00"+a.Path+"\x00"+a.Rule, b.Stack+"\x00"+b.Path+"\x00"+b.Rule)
	})
	slices.SortFunc(report.Suppressions, func(a, b Suppression) int {
		return strings.Compare(a.Stack+"\x00"+a.Path+"\x00"+a.Rule, b.Stack+"\x00"+b.Path+"\x00"+b.Rule)
	})
	return report
}

// unusedSuppressions reports the suppressions of a stack that excuse no
// finding: the resource no longer breaks the rule, so the exception only
// hides whether it would again.
func unusedSuppressions(s *Stack, used map[string]bool) []Violation {
	var out []Violation
	for _, r := range s.allResources() {
		suppressions, _ := dig(r.body, "//", suppressionsKey).(map[string]any)
		for _, rule := range sortedKeys(suppressions) {
			if _, known := Lookup(rule); !known || rule == suppressionRule || used[r.address()+" "+rule] {
				continue
			}
			out = append(out, Violation{
				Rule: suppressionRule, Stack: s.Name, Path: pathOf(r.body, s.Name, r.address()), Address: r.address(),
				Problem: fmt.Sprintf("it suppresses %s, which the resource does not break", rule),
				Fix:     "remove the policy.Suppress call",
			})
		}
	}
	return out
}

// Rules returns the policy pack, ordered by ID.
func Rules() []Rule {
	return rules
}

// Lookup returns the rule with id.
func Lookup(id string) (Rule, bool) {
	i := slices.IndexFunc(rules, func(r Rule) bool { return r.ID == id })
	if i < 0 {
		return Rule{}, false
	}
	return rules[i], true
}

// pathOf returns the construct path CDKTF recorded for a resource, or the
// stack and address when it recorded none.
func pathOf(res map[string]any, stack, address string) string {
	if meta, ok := dig(res, "//", "metadata").(map[string]any); ok {
		if p, ok := meta["path"].(string); ok {
			return p
		}
	}
	return stack + "/" + address
}
