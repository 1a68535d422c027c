package review

import "unicode/utf8"

// maxValueLength is the number of characters of an attribute value the
// report shows. Longer values are cut, around their first difference when
// both sides are long strings.
const maxValueLength = 80

// maxPolicyValueLength is the same limit for one value of a policy
// statement, higher because ARNs and trust conditions are what a reviewer
// must read in full.
const maxPolicyValueLength = 200

// formatValue renders one side of an attribute change.
func formatValue(v any, set bool) string {
	if !set {
		return "(unset)"
	}
	return truncate(encodeValue(v), 0, maxValueLength)
}

// formatPair renders both sides of an attribute change. When both are
// strings too long to show, each is cut to a window that starts shortly
// before the first character where they differ.
func formatPair(a AttributeChange) (string, string) {
	oldText, oldOK := a.Before.(string)
	newText, newOK := a.After.(string)
	if !a.BeforeSet || !a.AfterSet || !oldOK || !newOK ||
		(utf8.RuneCountInString(oldText) <= maxValueLength && utf8.RuneCountInString(newText) <= maxValueLength) {
		return formatValue(a.Before, a.BeforeSet), formatValue(a.After, a.AfterSet)
	}
	oldQuoted, newQuoted := encodeValue(oldText), encodeValue(newText)
	start := commonPrefix([]rune(oldQuoted), []rune(newQuoted)) - maxValueLength/4
	return truncate(oldQuoted, start, maxValueLength), truncate(newQuoted, start, maxValueLength)
}

func commonPrefix(a, b []rune) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

// truncate returns at most limit runes of s from start, marking each cut
// with "...".
func truncate(s string, start, limit int) string {
	runes := []rune(s)
	if len(runes) <= limit {
		return s
	}
	start = max(0, min(start, len(runes)-limit))
	out := string(runes[start : start+limit])
	if start > 0 {
		out = "..." + out
	}
	if start+limit < len(runes) {
		out += "..."
	}
	return out
}
