package review

import (
	"sort"
)

// Compare returns the difference between a baseline fleet and a synthesized
// one. The top-level "//" metadata of each stack is ignored, and so is the
// "//" block of each resource, except for its policy suppressions.
func Compare(baseline, current Fleet) Report {
	names := map[string]bool{}
	for name := range baseline {
		names[name] = true
	}
	for name := range current {
		names[name] = true
	}
	sorted := make([]string, 0, len(names))
	for name := range names {
		sorted = append(sorted, name)
	}
	sort.Strings(sorted)

	var report Report
	for _, name := range sorted {
		before, hadBefore := baseline[name]
		after, hasAfter := current[name]
		diff := compareStack(name, before, after)
		switch {
		case !hadBefore:
			diff.Status = StackAdded
		case !hasAfter:
			diff.Status = StackRemoved
		case diff.empty():
			continue
		default:
			diff.Status = StackChanged
		}
		report.Stacks = append(report.Stacks, diff)
	}
	return report
}

func (d StackDiff) empty() bool {
	return len(d.Resources) == 0 && len(d.Outputs) == 0 && len(d.Settings) == 0
}

// compareStack compares two stack documents; either may be nil.
func compareStack(name string, before, after map[string]any) StackDiff {
	diff := StackDiff{Name: name}
	diff.Resources = compareResources(before, after)
	diff.Outputs = compareBlocks("output", asMap(before["output"]), asMap(after["output"]))
	diff.Settings = compareSettings(before, after)
	return diff
}

// handledKeys are the top-level keys that compareStack reads itself.
var handledKeys = map[string]bool{
	metadataKey: true, "resource": true, "data": true, "output": true, "moved": true,
}

// compareSettings compares providers and every other top-level block one
// entry at a time: "provider.aws", "terraform.backend" and so on.
func compareSettings(before, after map[string]any) []BlockChange {
	keys := map[string]bool{}
	for k := range before {
		keys[k] = true
	}
	for k := range after {
		keys[k] = true
	}
	var changes []BlockChange
	for _, key := range sortedKeys(keys) {
		if handledKeys[key] {
			continue
		}
		oldValue, newValue := before[key], after[key]
		oldMap, oldIsMap := oldValue.(map[string]any)
		newMap, newIsMap := newValue.(map[string]any)
		if (oldIsMap || oldValue == nil) && (newIsMap || newValue == nil) {
			changes = append(changes, compareBlocks(key, oldMap, newMap)...)
			continue
		}
		changes = append(changes, compareBlocks("", map[string]any{key: oldValue}, map[string]any{key: newValue})...)
	}
	return changes
}

// compareBlocks compares the named entries of one top-level key.
func compareBlocks(prefix string, before, after map[string]any) []BlockChange {
	names := map[string]bool{}
	for n := range before {
		names[n] = true
	}
	for n := range after {
		names[n] = true
	}
	var changes []BlockChange
	for _, name := range sortedKeys(names) {
		oldValue, hadOld := before[name]
		newValue, hasNew := after[name]
		change := BlockChange{Address: name, Action: Update}
		if prefix != "" {
			change.Address = prefix + "." + name
		}
		switch {
		case !hadOld:
			change.Action = Create
		case !hasNew:
			change.Action = Delete
		}
		change.Attributes = diffBlocks(wrapBlock(oldValue, hadOld), wrapBlock(newValue, hasNew))
		if change.Action == Update && len(change.Attributes) == 0 {
			continue
		}
		changes = append(changes, change)
	}
	return changes
}

// wrapBlock turns an entry into a block for diffBlocks. Objects are used as
// they are; a provider's list of one configuration is unwrapped; anything
// else is compared under the path "value".
func wrapBlock(v any, present bool) map[string]any {
	if !present {
		return nil
	}
	if list, ok := v.([]any); ok && len(list) == 1 {
		v = list[0]
	}
	if m, ok := v.(map[string]any); ok {
		return m
	}
	return map[string]any{"value": v}
}

func asMap(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

func sortedKeys(set map[string]bool) []string {
	keys := make([]string, 0, len(set))
	for k := range set {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
