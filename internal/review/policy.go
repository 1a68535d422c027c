package review

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// PolicyDiff is the statement-level difference between two IAM policy
// documents. One side is empty when the policy was added or removed.
type PolicyDiff struct {
	// Statements lists the statements that were added, removed or changed,
	// in the order of the new document, then the removed ones.
	Statements []StatementChange
	// Document lists changes outside the statements, such as Version.
	Document []FieldChange
}

// StatementChange is one statement that was added, removed or changed.
type StatementChange struct {
	// Key is the statement's Sid, or "statement N (no Sid)" with N counted
	// from 1 in the document that holds it.
	Key    string
	Action Action
	// Fields lists the changed elements, in the order Effect, Principal,
	// NotPrincipal, Action, NotAction, Resource, NotResource, Condition and
	// then any others. For an added or removed statement every element is
	// listed.
	Fields []FieldChange
}

// FieldChange is the change of one policy element as sets of values.
// Principals read "AWS:arn:...", conditions read "Operator key=value".
type FieldChange struct {
	Field          string
	Added, Removed []string
}

var statementFieldOrder = []string{
	"Effect", "Principal", "NotPrincipal", "Action", "NotAction",
	"Resource", "NotResource", "Condition",
}

// statement is a policy statement reduced to sets of strings per element.
type statement struct {
	sid    string
	fields map[string][]string
}

// parsePolicy decodes a JSON policy document held in a string attribute.
// It returns false for any value that is not a JSON object with a
// Statement element, such as a Terraform token.
func parsePolicy(value any) ([]statement, map[string][]string, bool) {
	text, ok := value.(string)
	if !ok || !strings.HasPrefix(strings.TrimSpace(text), "{") {
		return nil, nil, false
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(text), &doc); err != nil {
		return nil, nil, false
	}
	raw, ok := doc["Statement"]
	if !ok {
		return nil, nil, false
	}
	var items []any
	switch v := raw.(type) {
	case []any:
		items = v
	case map[string]any:
		items = []any{v}
	default:
		return nil, nil, false
	}

	var statements []statement
	for _, item := range items {
		fields, _ := item.(map[string]any)
		statements = append(statements, normalizeStatement(fields))
	}
	rest := map[string][]string{}
	for key, v := range doc {
		if key != "Statement" {
			rest[key] = []string{valueText(v)}
		}
	}
	return statements, rest, true
}

func normalizeStatement(fields map[string]any) statement {
	s := statement{fields: map[string][]string{}}
	for key, value := range fields {
		switch key {
		case "Sid":
			s.sid = valueText(value)
		case "Principal", "NotPrincipal":
			s.fields[key] = principalValues(value)
		case "Condition":
			s.fields[key] = conditionValues(value)
		default:
			s.fields[key] = stringValues(value)
		}
	}
	return s
}

// stringValues turns a string or a list of strings into a sorted set.
func stringValues(value any) []string {
	var out []string
	switch v := value.(type) {
	case []any:
		for _, item := range v {
			out = append(out, valueText(item))
		}
	default:
		out = []string{valueText(v)}
	}
	sort.Strings(out)
	return out
}

func principalValues(value any) []string {
	byType, ok := value.(map[string]any)
	if !ok {
		return stringValues(value)
	}
	var out []string
	for typ, ids := range byType {
		for _, id := range stringValues(ids) {
			out = append(out, typ+":"+id)
		}
	}
	sort.Strings(out)
	return out
}

func conditionValues(value any) []string {
	byOperator, ok := value.(map[string]any)
	if !ok {
		return stringValues(value)
	}
	var out []string
	for operator, keys := range byOperator {
		byKey, ok := keys.(map[string]any)
		if !ok {
			out = append(out, operator+" "+valueText(keys))
			continue
		}
		for key, values := range byKey {
			for _, v := range stringValues(values) {
				out = append(out, fmt.Sprintf("%s %s=%s", operator, key, v))
			}
		}
	}
	sort.Strings(out)
	return out
}

// valueText renders a scalar as plain text and anything else as JSON.
func valueText(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return encodeValue(v)
}

// diffPolicies compares two statement lists. Statements with a Sid are
// matched by Sid. Statements without one are matched first to an identical
// statement and then by their order among the unmatched ones, so inserting
// a statement does not show every later one as changed.
func diffPolicies(before, after []statement, beforeDoc, afterDoc map[string][]string) *PolicyDiff {
	diff := &PolicyDiff{Document: diffFieldSets(beforeDoc, afterDoc)}

	oldBySid := map[string]statement{}
	var oldUnnamed []indexed
	oldKeys := sidKeys(before)
	for i, s := range before {
		if s.sid == "" {
			oldUnnamed = append(oldUnnamed, indexed{i, s})
		} else {
			oldBySid[oldKeys[i]] = s
		}
	}

	var newUnnamed []indexed
	newKeys := sidKeys(after)
	for i, s := range after {
		if s.sid == "" {
			newUnnamed = append(newUnnamed, indexed{i, s})
			continue
		}
		old, ok := oldBySid[newKeys[i]]
		delete(oldBySid, newKeys[i])
		diff.add(newKeys[i], ok, old, true, s)
	}

	pairs, added, removed := matchUnnamed(oldUnnamed, newUnnamed)
	for _, p := range pairs {
		diff.add(unnamedKey(p[1].index), true, p[0].statement, true, p[1].statement)
	}
	for _, s := range added {
		diff.add(unnamedKey(s.index), false, statement{}, true, s.statement)
	}

	var goneSids []string
	for sid := range oldBySid {
		goneSids = append(goneSids, sid)
	}
	sort.Strings(goneSids)
	for _, sid := range goneSids {
		diff.add(sid, true, oldBySid[sid], false, statement{})
	}
	for _, s := range removed {
		diff.add(unnamedKey(s.index), true, s.statement, false, statement{})
	}

	if len(diff.Statements) == 0 && len(diff.Document) == 0 {
		return nil
	}
	return diff
}

// sidKeys returns the matching key of each statement: its Sid, with a
// counter from the second use of the same Sid on, which IAM rejects but key
// policies have been seen to contain.
func sidKeys(statements []statement) []string {
	seen := map[string]int{}
	keys := make([]string, len(statements))
	for i, s := range statements {
		if s.sid == "" {
			continue
		}
		seen[s.sid]++
		keys[i] = s.sid
		if n := seen[s.sid]; n > 1 {
			keys[i] = fmt.Sprintf("%s (%d)", s.sid, n)
		}
	}
	return keys
}

type indexed struct {
	index     int
	statement statement
}

func unnamedKey(index int) string {
	return fmt.Sprintf("statement %d (no Sid)", index+1)
}

// matchUnnamed pairs identical statements first and then the remaining ones
// in order; the statements left over were added or removed.
func matchUnnamed(before, after []indexed) (pairs [][2]indexed, added, removed []indexed) {
	used := make([]bool, len(before))
	var rest []indexed
	for _, s := range after {
		found := false
		for i, old := range before {
			if !used[i] && len(diffFieldSets(old.statement.fields, s.statement.fields)) == 0 {
				used[i], found = true, true
				break
			}
		}
		if !found {
			rest = append(rest, s)
		}
	}
	var oldRest []indexed
	for i, old := range before {
		if !used[i] {
			oldRest = append(oldRest, old)
		}
	}
	for i, s := range rest {
		if i < len(oldRest) {
			pairs = append(pairs, [2]indexed{oldRest[i], s})
		} else {
			added = append(added, s)
		}
	}
	if len(oldRest) > len(rest) {
		removed = oldRest[len(rest):]
	}
	return pairs, added, removed
}

// add records the change of one statement, if any.
func (d *PolicyDiff) add(key string, hadOld bool, old statement, hasNew bool, cur statement) {
	change := StatementChange{Key: key, Action: Update}
	switch {
	case !hadOld:
		change.Action = Create
	case !hasNew:
		change.Action = Delete
	}
	change.Fields = diffFieldSets(old.fields, cur.fields)
	if len(change.Fields) == 0 {
		return
	}
	d.Statements = append(d.Statements, change)
}

// diffFieldSets compares two element maps value by value.
func diffFieldSets(before, after map[string][]string) []FieldChange {
	var changes []FieldChange
	for _, field := range fieldOrder(before, after) {
		added := missingFrom(after[field], before[field])
		removed := missingFrom(before[field], after[field])
		if len(added) > 0 || len(removed) > 0 {
			changes = append(changes, FieldChange{Field: field, Added: added, Removed: removed})
		}
	}
	return changes
}

func fieldOrder(maps ...map[string][]string) []string {
	known := map[string]bool{}
	order := append([]string(nil), statementFieldOrder...)
	for _, f := range order {
		known[f] = true
	}
	var extra []string
	for _, m := range maps {
		for f := range m {
			if !known[f] {
				known[f] = true
				extra = append(extra, f)
			}
		}
	}
	sort.Strings(extra)
	return append(order, extra...)
}

// missingFrom returns the values of list that other does not contain.
func missingFrom(list, other []string) []string {
	present := map[string]bool{}
	for _, v := range other {
		present[v] = true
	}
	var out []string
	for _, v := range list {
		if !present[v] {
			out = append(out, v)
		}
	}
	return out
}
