package review

import "strings"

// attachPolicies adds the statement-level difference to every changed
// attribute that holds a JSON policy document on either side. For an
// aws_iam_policy_document data source it replaces the changed statement
// blocks with one "statement" change that compares them as a policy.
func attachPolicies(typ string, data bool, before, after map[string]any, attrs []AttributeChange) []AttributeChange {
	for i := range attrs {
		a := &attrs[i]
		oldStatements, oldDoc, oldOK := parsePolicy(a.Before)
		newStatements, newDoc, newOK := parsePolicy(a.After)
		if (oldOK || !a.BeforeSet) && (newOK || !a.AfterSet) && (oldOK || newOK) {
			// An empty difference means the JSON text changed but the
			// statements are equivalent.
			a.Policy = diffPolicies(oldStatements, newStatements, oldDoc, newDoc)
			if a.Policy == nil {
				a.Policy = &PolicyDiff{}
			}
		}
	}
	if data && typ == "aws_iam_policy_document" {
		return attachPolicyDocument(before, after, attrs)
	}
	return attrs
}

func attachPolicyDocument(before, after map[string]any, attrs []AttributeChange) []AttributeChange {
	var others []AttributeChange
	statementsChanged := false
	for _, a := range attrs {
		if a.Path == "statement" || strings.HasPrefix(a.Path, "statement[") || strings.HasPrefix(a.Path, "statement.") {
			statementsChanged = true
			continue
		}
		others = append(others, a)
	}
	if !statementsChanged {
		return attrs
	}
	oldStatements := documentStatements(before)
	newStatements := documentStatements(after)
	change := AttributeChange{
		Path:      "statement",
		BeforeSet: before["statement"] != nil,
		AfterSet:  after["statement"] != nil,
		Policy:    diffPolicies(oldStatements, newStatements, nil, nil),
	}
	return append([]AttributeChange{change}, others...)
}

// documentStatements converts the statement blocks of an
// aws_iam_policy_document data source into policy statements, so that both
// forms of policy read the same in the report.
func documentStatements(block map[string]any) []statement {
	blocks, _ := block["statement"].([]any)
	if single, ok := block["statement"].(map[string]any); ok {
		blocks = []any{single}
	}
	var out []statement
	for _, item := range blocks {
		b, _ := item.(map[string]any)
		fields := map[string]any{"Effect": "Allow"}
		for arg, element := range map[string]string{
			"sid": "Sid", "effect": "Effect", "actions": "Action", "not_actions": "NotAction",
			"resources": "Resource", "not_resources": "NotResource",
		} {
			if v, ok := b[arg]; ok {
				fields[element] = v
			}
		}
		if p := documentPrincipals(b["principals"]); p != nil {
			fields["Principal"] = p
		}
		if p := documentPrincipals(b["not_principals"]); p != nil {
			fields["NotPrincipal"] = p
		}
		if c := documentConditions(b["condition"]); c != nil {
			fields["Condition"] = c
		}
		out = append(out, normalizeStatement(fields))
	}
	return out
}

func blockList(v any) []map[string]any {
	var out []map[string]any
	switch v := v.(type) {
	case []any:
		for _, item := range v {
			if m, ok := item.(map[string]any); ok {
				out = append(out, m)
			}
		}
	case map[string]any:
		out = append(out, v)
	}
	return out
}

func documentPrincipals(v any) map[string]any {
	blocks := blockList(v)
	if len(blocks) == 0 {
		return nil
	}
	byType := map[string]any{}
	for _, b := range blocks {
		typ := valueText(b["type"])
		existing, _ := byType[typ].([]any)
		ids, _ := b["identifiers"].([]any)
		byType[typ] = append(existing, ids...)
	}
	return byType
}

func documentConditions(v any) map[string]any {
	blocks := blockList(v)
	if len(blocks) == 0 {
		return nil
	}
	byTest := map[string]any{}
	for _, b := range blocks {
		test := valueText(b["test"])
		byVariable, _ := byTest[test].(map[string]any)
		if byVariable == nil {
			byVariable = map[string]any{}
			byTest[test] = byVariable
		}
		byVariable[valueText(b["variable"])] = b["values"]
	}
	return byTest
}
