package review

// suppressionsKey is the entry of a resource's "//" metadata block that
// maps a policy rule ID to the written reason for not enforcing it there.
const suppressionsKey = "policy_suppressions"

func suppressions(block map[string]any) map[string]string {
	out := map[string]string{}
	for rule, reason := range asMap(asMap(block[metadataKey])[suppressionsKey]) {
		out[rule] = valueText(reason)
	}
	return out
}

// diffSuppressions lists the policy suppressions added, removed or
// reworded between two versions of a resource, sorted by rule ID.
func diffSuppressions(before, after map[string]any) []SuppressionChange {
	old, cur := suppressions(before), suppressions(after)
	rules := map[string]bool{}
	for r := range old {
		rules[r] = true
	}
	for r := range cur {
		rules[r] = true
	}

	var changes []SuppressionChange
	for _, rule := range sortedKeys(rules) {
		oldReason, hadOld := old[rule]
		newReason, hasNew := cur[rule]
		change := SuppressionChange{Rule: rule, Before: oldReason, After: newReason, Action: Update}
		switch {
		case !hadOld:
			change.Action = Create
		case !hasNew:
			change.Action = Delete
		case oldReason == newReason:
			continue
		}
		changes = append(changes, change)
	}
	return changes
}
