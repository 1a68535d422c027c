package review

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// metadataKey is the key CDKTF uses for construct metadata, both at the top
// of a stack and inside each block. It never reaches the Terraform plan.
const metadataKey = "//"

// flatten returns the leaves of a block's configuration keyed by attribute
// path. A leaf is a scalar, an empty object or list, or a list of short
// scalars (such as subnet_ids), which is compared as one value. The "//"
// metadata key of the block itself is skipped.
func flatten(block map[string]any) map[string]any {
	leaves := map[string]any{}
	for key, value := range block {
		if key == metadataKey {
			continue
		}
		flattenValue(pathKey("", key), value, leaves)
	}
	return leaves
}

func flattenValue(path string, value any, leaves map[string]any) {
	switch v := value.(type) {
	case map[string]any:
		if len(v) == 0 {
			leaves[path] = v
			return
		}
		for key, child := range v {
			flattenValue(pathKey(path, key), child, leaves)
		}
	case []any:
		if len(v) == 0 || (scalarList(v) && !hasLongString(v)) {
			leaves[path] = v
			return
		}
		for i, child := range v {
			flattenValue(fmt.Sprintf("%s[%d]", path, i), child, leaves)
		}
	default:
		leaves[path] = v
	}
}

// hasLongString reports whether a list holds a string too long to show
// whole, such as the YAML values of a Helm release. Such lists are
// compared item by item, so that each long item can be cut around its
// first difference.
func hasLongString(list []any) bool {
	for _, item := range list {
		if s, ok := item.(string); ok && len(s) > maxValueLength {
			return true
		}
	}
	return false
}

func scalarList(list []any) bool {
	for _, item := range list {
		switch item.(type) {
		case map[string]any, []any:
			return false
		}
	}
	return true
}

var identifier = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]*$`)

// pathKey appends a map key to path, quoting keys that would make the path
// ambiguous, such as tag keys with dots or slashes.
func pathKey(path, key string) string {
	if !identifier.MatchString(key) {
		return path + "[" + strconv.Quote(key) + "]"
	}
	if path == "" {
		return key
	}
	return path + "." + key
}

// diffBlocks returns the changed leaves between two blocks, sorted by path.
// Either block may be nil, for an added or removed block.
func diffBlocks(before, after map[string]any) []AttributeChange {
	oldLeaves, newLeaves := flatten(before), flatten(after)

	paths := map[string]bool{}
	for p := range oldLeaves {
		paths[p] = true
	}
	for p := range newLeaves {
		paths[p] = true
	}

	var changes []AttributeChange
	for p := range paths {
		oldValue, hadOld := oldLeaves[p]
		newValue, hasNew := newLeaves[p]
		if hadOld && hasNew && reflect.DeepEqual(oldValue, newValue) {
			continue
		}
		changes = append(changes, AttributeChange{
			Path:      p,
			Before:    oldValue,
			After:     newValue,
			BeforeSet: hadOld,
			AfterSet:  hasNew,
		})
	}
	sort.Slice(changes, func(i, j int) bool { return changes[i].Path < changes[j].Path })
	return changes
}

// encodeValue renders a decoded JSON value compactly, as JSON.
func encodeValue(v any) string {
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Sprint(v)
	}
	return strings.TrimSuffix(out.String(), "\n")
}
