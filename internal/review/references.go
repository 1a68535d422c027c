package review

import (
	"reflect"
	"regexp"
)

// rename is an address change that references in other resources follow.
type rename struct {
	from, to string
	pattern  *regexp.Regexp
	// attributes lists the attributes whose references still resolve to the
	// same value after the change; nil means all of them.
	attributes map[string]bool
}

// renamesOf returns the address changes of pairs. After a move every
// reference resolves to the same object. After a readdress the resource is
// new, so only references to arguments configured with the same value
// resolve to the same value at plan time. References to computed
// attributes such as arn or id become unknown, so they stay in the report.
func renamesOf(pairs []pair) []rename {
	var renames []rename
	for _, p := range pairs {
		r := rename{from: p.old.address, to: p.cur.address, pattern: referencePattern(p.old.address)}
		if p.action == Readdress {
			r.attributes = map[string]bool{}
			for key, value := range p.cur.block {
				if key != metadataKey && reflect.DeepEqual(value, p.old.block[key]) {
					r.attributes[key] = true
				}
			}
		}
		renames = append(renames, r)
	}
	return renames
}

// rewriteReferences returns a copy of block in which references to renamed
// addresses use the new address, so that a reference that only follows a
// rename is not reported as a change.
func rewriteReferences(block map[string]any, renames []rename) map[string]any {
	if len(renames) == 0 || block == nil {
		return block
	}
	rewritten, _ := rewriteValue(block, renames).(map[string]any)
	return rewritten
}

func rewriteValue(v any, renames []rename) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, child := range v {
			out[k] = rewriteValue(child, renames)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, child := range v {
			out[i] = rewriteValue(child, renames)
		}
		return out
	case string:
		for _, r := range renames {
			v = r.apply(v)
		}
		return v
	default:
		return v
	}
}

// referencePattern matches the references "address.attribute". The
// character before the address must not continue an identifier or a data
// source prefix, so "aws_x.a" does not match inside "data.aws_x.a" or
// "aws_x.ab".
func referencePattern(address string) *regexp.Regexp {
	return regexp.MustCompile(`(^|[^A-Za-z0-9_.])` + regexp.QuoteMeta(address) + `\.([A-Za-z0-9_]+)`)
}

// apply rewrites the references to r.from in s.
func (r rename) apply(s string) string {
	return r.pattern.ReplaceAllStringFunc(s, func(match string) string {
		parts := r.pattern.FindStringSubmatch(match)
		if r.attributes != nil && !r.attributes[parts[2]] {
			return match
		}
		return parts[1] + r.to + "." + parts[2]
	})
}
