package review

import (
	"sort"
	"strings"
)

// section is one group of resource changes in a stack's report.
type section struct {
	title   string
	changes []ResourceChange
}

// sections groups the resource changes of a stack, each in the first
// section that applies, in the order a reviewer should read them.
func sections(changes []ResourceChange) []section {
	groups := []section{
		{title: "Replacements"},
		{title: "IAM, trust and security-group changes"},
		{title: "Policy suppressions"},
		{title: "Removed (destroyed on deploy)"},
		{title: "Added"},
		{title: "Moved (kept by a moved block)"},
		{title: "Changed in place"},
	}
	for _, c := range changes {
		var i int
		switch {
		case c.Replaced:
			i = 0
		case len(c.Categories) > 0:
			i = 1
		case len(c.Suppressions) > 0:
			i = 2
		case c.Action == Delete:
			i = 3
		case c.Action == Create:
			i = 4
		case c.Action == Move:
			i = 5
		default:
			i = 6
		}
		groups[i].changes = append(groups[i].changes, c)
	}
	return groups
}

func (r *renderer) stack(s StackDiff) {
	r.heading(3, s.Name)
	switch s.Status {
	case StackAdded:
		r.wholeStack(s, "New stack: the deploy creates everything in it.")
		return
	case StackRemoved:
		r.wholeStack(s, "Removed stack: the app no longer synthesizes it, so its deployed resources stay in place but are no longer managed.")
		return
	}

	for _, group := range sections(s.Resources) {
		if len(group.changes) == 0 {
			continue
		}
		r.heading(4, group.title)
		for _, c := range group.changes {
			r.resource(c)
		}
	}
	r.blocks("Outputs", s.Outputs)
	r.blocks("Providers and settings", s.Settings)
}

// wholeStack summarizes an added or removed stack by resource type instead
// of listing every resource.
func (r *renderer) wholeStack(s StackDiff, summary string) {
	r.line("%s", summary)
	r.line("")

	byType := map[string]int{}
	var reviewed []string
	for _, c := range s.Resources {
		key := c.Type
		if c.Data {
			key = "data." + c.Type
		}
		byType[key]++
		if len(c.Categories) > 0 {
			reviewed = append(reviewed, r.markers(c)+" "+r.code(c.Address))
		}
	}
	r.line("Resources and data sources: %d. Outputs: %d.", len(s.Resources), len(s.Outputs))

	if r.markdown {
		r.line("")
		r.line("<details><summary>Resources by type</summary>")
		r.line("")
	}

	types := make([]string, 0, len(byType))
	for t := range byType {
		types = append(types, t)
	}
	sort.Strings(types)
	for _, t := range types {
		r.item(0, "%s: %d", r.code(t), byType[t])
	}
	if len(reviewed) > 0 {
		r.line("")
		r.line("Resources with IAM, trust or security-group content:")
		r.line("")
		for _, line := range reviewed {
			r.item(0, "%s", line)
		}
	}
	if r.markdown {
		r.line("")
		r.line("</details>")
	}
}

// markers returns the plain-text flags of a change, such as "REPLACE IAM".
func (r *renderer) markers(c ResourceChange) string {
	var flags []string
	if c.Replaced {
		flags = append(flags, "REPLACE")
	}
	for _, category := range c.Categories {
		flags = append(flags, string(category))
	}
	if len(c.Suppressions) > 0 {
		flags = append(flags, "SUPPRESSION")
	}
	if len(flags) == 0 {
		return ""
	}
	text := strings.Join(flags, " ")
	if r.markdown {
		return "**" + text + "**"
	}
	return text
}

// summaryOf returns what happens to the resource, in a few words.
func (r *renderer) summaryOf(c ResourceChange) string {
	var text string
	switch c.Action {
	case Create:
		text = "created"
	case Delete:
		text = "destroyed"
	case Move:
		text = "moved from " + r.code(c.PreviousAddress)
	case Readdress:
		text = "address changed from " + r.code(c.PreviousAddress) + " without a moved block: destroy and create"
	default:
		text = "changed"
	}
	if c.Replaced && c.Action != Readdress {
		text += ": replaced, because " + strings.Join(c.ReplaceReasons, "; ")
	}
	if c.ReplacementUnknown {
		text += " (replacement unknown: no force-new entry for " + r.code(c.Type) + ")"
	}
	return text
}

func (r *renderer) resource(c ResourceChange) {
	prefix := r.markers(c)
	if prefix != "" {
		prefix += " "
	}
	r.item(0, "%s%s %s", prefix, r.code(c.Address), r.summaryOf(c))

	for i, a := range c.Attributes {
		if i == maxAttributeLines {
			r.item(1, "and %d more changed attributes", len(c.Attributes)-i)
			break
		}
		r.attribute(a)
	}
	for _, s := range c.Suppressions {
		r.suppression(s)
	}
}

func (r *renderer) attribute(a AttributeChange) {
	if a.Policy != nil {
		r.policy(a)
		return
	}
	before, after := formatPair(a)
	note := ""
	if a.ForcesReplacement {
		note = " (forces replacement)"
	}
	r.item(1, "%s: %s -> %s%s", r.code(a.Path), r.code(before), r.code(after), note)
}

func (r *renderer) policy(a AttributeChange) {
	p := a.Policy
	if len(p.Statements) == 0 && len(p.Document) == 0 {
		r.item(1, "%s: policy text changed; the statements are equivalent", r.code(a.Path))
		return
	}
	noun := "statements"
	if len(p.Statements) == 1 {
		noun = "statement"
	}
	r.item(1, "%s: %d policy %s %s", r.code(a.Path), len(p.Statements), noun, policyVerb(a, len(p.Statements) == 1))
	for _, f := range p.Document {
		r.item(2, "document %s", r.fieldChange(f, Update))
	}
	for _, s := range p.Statements {
		var fields []string
		for _, f := range s.Fields {
			fields = append(fields, r.fieldChange(f, s.Action))
		}
		r.item(2, "statement %s %s: %s", r.code(s.Key), actionWord(s.Action), strings.Join(fields, "; "))
	}
}

func policyVerb(a AttributeChange, singular bool) string {
	switch {
	case !a.BeforeSet:
		return "added"
	case !a.AfterSet:
		return "removed"
	case singular:
		return "differs"
	default:
		return "differ"
	}
}

func actionWord(a Action) string {
	switch a {
	case Create:
		return "added"
	case Delete:
		return "removed"
	default:
		return "changed"
	}
}

// fieldChange renders one policy element: its values for an added or
// removed statement, and "+value" and "-value" for a changed one.
func (r *renderer) fieldChange(f FieldChange, action Action) string {
	var values []string
	switch action {
	case Create:
		for _, v := range f.Added {
			values = append(values, r.code(truncate(v, 0, maxPolicyValueLength)))
		}
	case Delete:
		for _, v := range f.Removed {
			values = append(values, r.code(truncate(v, 0, maxPolicyValueLength)))
		}
	default:
		for _, v := range f.Added {
			values = append(values, "+"+r.code(truncate(v, 0, maxPolicyValueLength)))
		}
		for _, v := range f.Removed {
			values = append(values, "-"+r.code(truncate(v, 0, maxPolicyValueLength)))
		}
	}
	return f.Field + " " + strings.Join(values, ", ")
}

func (r *renderer) suppression(s SuppressionChange) {
	switch s.Action {
	case Create:
		r.item(1, "policy suppression %s added: %s", r.code(s.Rule), s.After)
	case Delete:
		r.item(1, "policy suppression %s removed (was: %s)", r.code(s.Rule), s.Before)
	default:
		r.item(1, "policy suppression %s reworded: %s -> %s", r.code(s.Rule), s.Before, s.After)
	}
}

func (r *renderer) blocks(title string, changes []BlockChange) {
	if len(changes) == 0 {
		return
	}
	r.heading(4, title)
	for _, b := range changes {
		r.item(0, "%s %s", r.code(b.Address), actionWord(b.Action))
		for i, a := range b.Attributes {
			if i == maxAttributeLines {
				r.item(1, "and %d more changed attributes", len(b.Attributes)-i)
				break
			}
			r.attribute(a)
		}
	}
}
