package review

import (
	"fmt"
	"regexp"
	"strings"
)

var listIndex = regexp.MustCompile(`\[\d+\]`)

// schemaPath strips list indexes from an attribute path, so that
// "rule[0].bucket" matches the table entry "rule.bucket".
func schemaPath(path string) string {
	return listIndex.ReplaceAllString(path, "")
}

// coveredBy reports whether path is entry or lies below it.
func coveredBy(path, entry string) bool {
	return path == entry || strings.HasPrefix(path, entry+".") || strings.HasPrefix(path, entry+"[")
}

func coveredByAny(path string, entries []string) bool {
	for _, entry := range entries {
		if coveredBy(path, entry) {
			return true
		}
	}
	return false
}

// markReplacements sets ForcesReplacement on the attribute changes of c and
// fills Replaced, ReplaceReasons and ReplacementUnknown.
func markReplacements(c *ResourceChange) {
	if c.Data {
		return
	}
	if c.Action == Readdress {
		c.Replaced = true
		c.ReplaceReasons = append(c.ReplaceReasons,
			fmt.Sprintf("address changed from %s without a moved block: destroy and create", c.PreviousAddress))
	}
	if c.Action != Update && c.Action != Move && c.Action != Readdress {
		return
	}

	entries, known := forceNew[c.Type]
	onRemoval := forceNewOnRemoval[c.Type]
	var unknownChange bool
	for i := range c.Attributes {
		a := &c.Attributes[i]
		path := schemaPath(a.Path)
		if coveredByAny(path, metaArguments) {
			continue
		}
		switch {
		case coveredByAny(path, entries):
			a.ForcesReplacement = true
		case a.BeforeSet && !a.AfterSet && coveredByAny(path, onRemoval):
			a.ForcesReplacement = true
		case !known:
			unknownChange = true
		}
		if a.ForcesReplacement && c.Action != Readdress {
			c.Replaced = true
			c.ReplaceReasons = append(c.ReplaceReasons, fmt.Sprintf("%s forces replacement", a.Path))
		}
	}
	c.ReplacementUnknown = unknownChange && c.Action != Readdress
}
