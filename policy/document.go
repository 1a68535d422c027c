package policy

import (
	"encoding/json"
	"regexp"
	"strings"
)

// resource is one resource block of a stack.
type resource struct {
	typ, name string
	body      map[string]any
}

func (r resource) address() string { return r.typ + "." + r.name }

// resources returns the stack's resources of type typ, sorted by name.
func (s *Stack) resources(typ string) []resource {
	return s.elements("resource", typ)
}

// elements returns the stack's blocks of kind ("resource" or "data") and
// type typ, sorted by name.
func (s *Stack) elements(kind, typ string) []resource {
	byName, _ := dig(s.Document, kind, typ).(map[string]any)
	out := make([]resource, 0, len(byName))
	for _, name := range sortedKeys(byName) {
		body, _ := byName[name].(map[string]any)
		out = append(out, resource{typ: typ, name: name, body: body})
	}
	return out
}

// allResources returns every resource of the stack, sorted by address.
func (s *Stack) allResources() []resource {
	types, _ := dig(s.Document, "resource").(map[string]any)
	var out []resource
	for _, typ := range sortedKeys(types) {
		out = append(out, s.resources(typ)...)
	}
	return out
}

// dataSources returns the stack's data sources of type typ, sorted by name.
func (s *Stack) dataSources(typ string) []resource {
	return s.elements("data", typ)
}

// resourceAt returns the body of the resource at "<type>.<name>", or nil.
func (s *Stack) resourceAt(address string) map[string]any {
	typ, name, _ := strings.Cut(address, ".")
	body, _ := dig(s.Document, "resource", typ, name).(map[string]any)
	return body
}

// providerRegion returns the region of the AWS provider a resource uses:
// its "provider" alias, or the stack's default region.
func (s *Stack) providerRegion(r resource) string {
	alias, _ := r.body["provider"].(string)
	if alias == "" {
		return s.Region
	}
	_, alias, _ = strings.Cut(alias, ".")
	providers, _ := dig(s.Document, "provider", "aws").([]any)
	for _, p := range providers {
		config, _ := p.(map[string]any)
		if config["alias"] == alias {
			region, _ := config["region"].(string)
			return region
		}
	}
	return s.Region
}

// dig walks nested objects by key and returns the value found, or nil.
func dig(value any, keys ...string) any {
	for _, k := range keys {
		m, ok := value.(map[string]any)
		if !ok {
			return nil
		}
		value = m[k]
	}
	return value
}

// block returns the first object of a nested block, which CDKTF writes as
// a list of one object or as an object.
func block(body map[string]any, name string) map[string]any {
	switch v := body[name].(type) {
	case []any:
		if len(v) > 0 {
			m, _ := v[0].(map[string]any)
			return m
		}
	case map[string]any:
		return v
	}
	return nil
}

// blocks returns every object of a nested block.
func blocks(body map[string]any, name string) []map[string]any {
	switch v := body[name].(type) {
	case []any:
		out := make([]map[string]any, 0, len(v))
		for _, item := range v {
			if m, ok := item.(map[string]any); ok {
				out = append(out, m)
			}
		}
		return out
	case map[string]any:
		return []map[string]any{v}
	}
	return nil
}

// reference matches a Terraform reference to another resource's
// attribute, such as "${aws_s3_bucket.data_events_bucket.id}".
var reference = regexp.MustCompile(`^\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.[a-z_]+\}$`)

// refersTo reports whether value is a reference to the resource r.
func refersTo(value any, r resource) bool {
	s, _ := value.(string)
	m := reference.FindStringSubmatch(s)
	return m != nil && m[1] == r.typ && m[2] == r.name
}

// isTrue reports whether value is the boolean true.
func isTrue(value any) bool {
	b, ok := value.(bool)
	return ok && b
}

// strings returns value as a list of strings, accepting one string too.
func stringList(value any) []string {
	switch v := value.(type) {
	case string:
		return []string{v}
	case []any:
		out := make([]string, 0, len(v))
		for _, item := range v {
			if s, ok := item.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// number returns value as a float64, and false when it is not a number.
func number(value any) (float64, bool) {
	f, ok := value.(float64)
	return f, ok
}

// policyStatement is one statement of an IAM policy document in JSON.
type policyStatement struct {
	Sid       string
	Effect    string
	Principal any
	Action    any
	NotAction any
	Resource  any

	// NotResource is set only for documents; JSON policies keep it in
	// the field of the same name.
	NotResource any
	Condition   map[string]map[string]any
}

// parsePolicy decodes an IAM policy document. A document that is not JSON
// at synth time (a token) decodes to no statements.
func parsePolicy(value any) []policyStatement {
	text, _ := value.(string)
	var doc struct {
		Statement json.RawMessage
	}
	if json.Unmarshal([]byte(text), &doc) != nil || len(doc.Statement) == 0 {
		return nil
	}
	var list []policyStatement
	if json.Unmarshal(doc.Statement, &list) == nil {
		return list
	}
	var single policyStatement
	if json.Unmarshal(doc.Statement, &single) == nil {
		return []policyStatement{single}
	}
	return nil
}

// documentStatements returns the statements of an aws_iam_policy_document
// data source in the same shape as parsePolicy's.
func documentStatements(body map[string]any) []policyStatement {
	var out []policyStatement
	for _, st := range blocks(body, "statement") {
		effect, _ := st["effect"].(string)
		if effect == "" {
			effect = "Allow"
		}
		ps := policyStatement{
			Sid:       stringOf(st["sid"]),
			Effect:    effect,
			Action:    st["actions"],
			NotAction: st["not_actions"],
			Resource:  st["resources"],
		}
		if notResources := stringList(st["not_resources"]); len(notResources) > 0 {
			ps.NotResource = notResources
		}
		principals := map[string]any{}
		for _, p := range blocks(st, "principals") {
			typ := stringOf(p["type"])
			principals[typ] = append(stringList(principals[typ]), stringList(p["identifiers"])...)
		}
		if len(principals) > 0 {
			ps.Principal = principals
		}
		for _, c := range blocks(st, "condition") {
			if ps.Condition == nil {
				ps.Condition = map[string]map[string]any{}
			}
			test, variable := stringOf(c["test"]), stringOf(c["variable"])
			if ps.Condition[test] == nil {
				ps.Condition[test] = map[string]any{}
			}
			ps.Condition[test][variable] = c["values"]
		}
		out = append(out, ps)
	}
	return out
}

// documentReference matches a reference to an aws_iam_policy_document
// data source's JSON.
var documentReference = regexp.MustCompile(`^\$\{data\.aws_iam_policy_document\.([A-Za-z0-9_-]+)\.json\}$`)

// policyOf returns the statements of a policy attribute: literal JSON, or
// a reference to an aws_iam_policy_document data source of the stack. It
// reports false for anything else, such as a jsonencode expression, whose
// statements are not known at synth time.
func (s *Stack) policyOf(value any) ([]policyStatement, bool) {
	text, ok := value.(string)
	if !ok {
		return nil, false
	}
	if m := documentReference.FindStringSubmatch(text); m != nil {
		body, _ := dig(s.Document, "data", "aws_iam_policy_document", m[1]).(map[string]any)
		return documentStatements(body), body != nil
	}
	if !json.Valid([]byte(text)) {
		return nil, false
	}
	return parsePolicy(text), true
}

// principals returns the principals of a statement of the given type
// ("AWS", "Federated", "Service"), or every principal for "*".
func (st policyStatement) principals(typ string) []string {
	if p, ok := st.Principal.(string); ok {
		return []string{p}
	}
	m, _ := st.Principal.(map[string]any)
	if typ == "*" {
		var all []string
		for _, v := range m {
			all = append(all, stringList(v)...)
		}
		return all
	}
	return stringList(m[typ])
}
