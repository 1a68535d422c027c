package review

import (
	"reflect"
	"sort"
	"strings"
)

// resource is one resource or data source block of a stack.
type resource struct {
	address string
	typ     string
	name    string
	data    bool
	block   map[string]any
}

// stackResources returns the resources and data sources of a stack by
// address.
func stackResources(doc map[string]any) map[string]resource {
	out := map[string]resource{}
	collect := func(key, prefix string, data bool) {
		for typ, byName := range asMap(doc[key]) {
			for name, block := range asMap(byName) {
				address := prefix + typ + "." + name
				out[address] = resource{address: address, typ: typ, name: name, data: data, block: asMap(block)}
			}
		}
	}
	collect("resource", "", false)
	collect("data", "data.", true)
	return out
}

// movedTargets returns the moved blocks of a stack as a map from the old
// address to the new one.
func movedTargets(doc map[string]any) map[string]string {
	targets := map[string]string{}
	list, _ := doc["moved"].([]any)
	for _, item := range list {
		m := asMap(item)
		from, _ := m["from"].(string)
		to, _ := m["to"].(string)
		if from != "" && to != "" {
			targets[from] = to
		}
	}
	return targets
}

// compareResources lists the resources and data sources that differ
// between two stacks, sorted by address.
func compareResources(beforeDoc, afterDoc map[string]any) []ResourceChange {
	before, after := stackResources(beforeDoc), stackResources(afterDoc)

	removed, added := map[string]resource{}, map[string]resource{}
	for address, old := range before {
		if _, ok := after[address]; !ok {
			removed[address] = old
		}
	}
	for address, cur := range after {
		if _, ok := before[address]; !ok {
			added[address] = cur
		}
	}
	pairs := append(pairMoves(removed, added, movedTargets(afterDoc)), pairReaddresses(removed, added)...)
	renames := renamesOf(pairs)

	var changes []ResourceChange
	for address, old := range before {
		if cur, ok := after[address]; ok {
			old.block = rewriteReferences(old.block, renames)
			if change, changed := resourceChange(Update, old, cur); changed {
				changes = append(changes, change)
			}
		}
	}
	for _, p := range pairs {
		p.old.block = rewriteReferences(p.old.block, renames)
		change, _ := resourceChange(p.action, p.old, p.cur)
		changes = append(changes, change)
	}
	for _, old := range removed {
		change, _ := resourceChange(Delete, old, resource{})
		changes = append(changes, change)
	}
	for _, cur := range added {
		change, _ := resourceChange(Create, resource{}, cur)
		changes = append(changes, change)
	}

	sort.Slice(changes, func(i, j int) bool { return changes[i].Address < changes[j].Address })
	return changes
}

// pair is a removed address matched to an added one.
type pair struct {
	action   Action
	old, cur resource
}

// pairMoves matches removed addresses to added ones through the moved
// blocks, following chains such as a -> b -> c. Matched entries are deleted
// from removed and added.
func pairMoves(removed, added map[string]resource, targets map[string]string) []pair {
	var pairs []pair
	for _, from := range sortedResourceKeys(removed) {
		to, seen := from, map[string]bool{}
		for !seen[to] {
			seen[to] = true
			next, ok := targets[to]
			if !ok {
				break
			}
			to = next
		}
		cur, ok := added[to]
		if to == from || !ok {
			continue
		}
		pairs = append(pairs, pair{Move, removed[from], cur})
		delete(removed, from)
		delete(added, to)
	}
	return pairs
}

// pairReaddresses matches each removed resource to an added resource of the
// same type, most similar first, because Terraform destroys the one and
// creates the other. Data sources are left alone: reading one under a new
// address destroys nothing. Matched entries are deleted from removed and
// added.
//
// NOTE: any removed and added resource of the same type are paired, even if
// they share few attributes, so an unrelated create and delete of one type
// shows as an address change. That errs on the side of flagging it.
func pairReaddresses(removed, added map[string]resource) []pair {
	type candidate struct {
		from, to string
		score    int
	}
	var candidates []candidate
	for from, old := range removed {
		for to, cur := range added {
			if old.data || cur.data || old.typ != cur.typ {
				continue
			}
			candidates = append(candidates, candidate{from, to, similarity(old.block, cur.block)})
		}
	}
	sort.Slice(candidates, func(i, j int) bool {
		a, b := candidates[i], candidates[j]
		if a.score != b.score {
			return a.score > b.score
		}
		if a.from != b.from {
			return a.from < b.from
		}
		return a.to < b.to
	})

	var pairs []pair
	for _, c := range candidates {
		old, okOld := removed[c.from]
		cur, okNew := added[c.to]
		if !okOld || !okNew {
			continue
		}
		pairs = append(pairs, pair{Readdress, old, cur})
		delete(removed, c.from)
		delete(added, c.to)
	}
	return pairs
}

// similarity counts the attribute leaves that two blocks share.
func similarity(a, b map[string]any) int {
	left, right := flatten(a), flatten(b)
	n := 0
	for path, v := range left {
		if w, ok := right[path]; ok && reflect.DeepEqual(v, w) {
			n++
		}
	}
	return n
}

func sortedResourceKeys(m map[string]resource) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// resourceChange builds the change between old and cur for action; for a
// Create old is empty, for a Delete cur is. It returns false when an Update
// has nothing to report.
func resourceChange(action Action, old, cur resource) (ResourceChange, bool) {
	subject := cur
	if action == Delete {
		subject = old
	}
	change := ResourceChange{
		Address: subject.address,
		Type:    subject.typ,
		Name:    subject.name,
		Data:    subject.data,
		Action:  action,
	}
	if action == Move || action == Readdress {
		change.PreviousAddress = old.address
	}

	attrs := diffBlocks(old.block, cur.block)
	attrs = attachPolicies(subject.typ, subject.data, old.block, cur.block, attrs)
	for i := range attrs {
		attrs[i].Category = attributeCategory(subject.typ, subject.data, attrs[i])
	}
	if action == Create || action == Delete {
		attrs = reviewedOnly(attrs)
	}
	change.Attributes = attrs

	if action != Delete {
		change.Suppressions = diffSuppressions(old.block, cur.block)
	}
	change.Categories = categoriesOf(attrs)
	markReplacements(&change)

	changed := action != Update || len(change.Attributes) > 0 || len(change.Suppressions) > 0
	return change, changed
}

// reviewedOnly keeps the attributes that carry a review category, which
// are the ones worth listing for a created or deleted resource.
func reviewedOnly(attrs []AttributeChange) []AttributeChange {
	var reviewed []AttributeChange
	for _, a := range attrs {
		if a.Category != "" {
			reviewed = append(reviewed, a)
		}
	}
	return reviewed
}

func categoriesOf(attrs []AttributeChange) []Category {
	seen := map[Category]bool{}
	var out []Category
	for _, a := range attrs {
		if a.Category != "" && !seen[a.Category] {
			seen[a.Category] = true
			out = append(out, a.Category)
		}
	}
	sort.Slice(out, func(i, j int) bool { return strings.Compare(string(out[i]), string(out[j])) < 0 })
	return out
}
