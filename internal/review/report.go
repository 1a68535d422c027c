package review

// Report is the difference between a baseline fleet and a synthesized one.
type Report struct {
	// Stacks lists the stacks that differ, sorted by name. Unchanged stacks
	// are left out.
	Stacks []StackDiff
}

// Changed reports whether any stack differs from the baseline.
func (r Report) Changed() bool {
	return len(r.Stacks) > 0
}

// StackStatus marks a stack as added, removed or changed.
type StackStatus string

// Stack statuses.
const (
	StackAdded   StackStatus = "added"
	StackRemoved StackStatus = "removed"
	StackChanged StackStatus = "changed"
)

// StackDiff is the difference within one stack.
type StackDiff struct {
	Name   string
	Status StackStatus

	// Resources lists the resources and data sources that differ, sorted by
	// address.
	Resources []ResourceChange

	// Outputs lists the outputs that differ.
	Outputs []BlockChange

	// Settings lists the provider configurations and the other top-level
	// blocks (terraform, import, locals and so on) that differ, each
	// compared as a whole block.
	Settings []BlockChange
}

// Action is the operation the next deploy would perform on a resource, as
// far as the synthesized JSON shows it.
type Action string

// Resource actions.
const (
	// Create is a new address.
	Create Action = "create"
	// Delete is an address that is gone.
	Delete Action = "delete"
	// Update is a resource whose attributes or policy suppressions changed
	// in place at the same address.
	Update Action = "update"
	// Move is an address change that a moved block in the new stack covers,
	// so Terraform keeps the resource.
	Move Action = "move"
	// Readdress is an address change without a moved block: the resource at
	// the old address is destroyed and one at the new address is created.
	Readdress Action = "readdress"
)

// Category marks a change that a reviewer must read before the others.
type Category string

// Review categories.
const (
	// CategoryIAM is a change to an identity or resource policy, a policy
	// attachment or an EKS access grant.
	CategoryIAM Category = "IAM"
	// CategoryTrust is a change to a role's trust policy.
	CategoryTrust Category = "TRUST"
	// CategorySecurityGroup is a change to security-group rules.
	CategorySecurityGroup Category = "SG"
)

// ResourceChange is one resource or data source that differs.
type ResourceChange struct {
	// Address is "type.name" for resources and "data.type.name" for data
	// sources, at the new address for moves and readdresses.
	Address string
	Type    string
	Name    string
	Data    bool
	Action  Action

	// PreviousAddress is the old address of a Move or Readdress.
	PreviousAddress string

	// Replaced is true when the deploy destroys the existing resource: a
	// Readdress, or an Update or Move that changes an attribute that forces
	// replacement. Deletes are not counted as replacements.
	Replaced bool
	// ReplaceReasons lists the causes of Replaced, one entry per cause.
	ReplaceReasons []string
	// ReplacementUnknown is true when attributes changed on a resource type
	// that has no entry in the force-new table.
	ReplacementUnknown bool

	// Categories lists the review categories the change touches.
	Categories []Category

	// Attributes lists the changed attribute paths, sorted. For a Create or
	// Delete it lists only the attributes that carry a review category, such
	// as a policy, whose statements are then all added or all removed.
	Attributes []AttributeChange

	// Suppressions lists the changed policy suppressions from the resource's
	// "//" metadata block.
	Suppressions []SuppressionChange
}

// AttributeChange is one changed leaf of a resource's configuration.
type AttributeChange struct {
	// Path is the attribute path, with list indexes ("rule[0].id") and map
	// keys that are not identifiers quoted ("tags[\"kubernetes.io/role/elb\"]").
	Path string
	// Before and After are the decoded JSON values; BeforeSet and AfterSet
	// are false when the path does not exist on that side.
	Before, After       any
	BeforeSet, AfterSet bool
	// ForcesReplacement is true when the force-new table lists this path for
	// the resource type.
	ForcesReplacement bool
	// Category is the review category of this attribute, or "".
	Category Category
	// Policy holds the statement-level difference when both values, or the
	// one present, are IAM policy documents.
	Policy *PolicyDiff
}

// BlockChange is an output, provider configuration or other top-level
// block that was added, removed or changed.
type BlockChange struct {
	// Address is "output.name", "provider.name" or "key.name" for other
	// top-level blocks such as "terraform.backend".
	Address    string
	Action     Action
	Attributes []AttributeChange
}

// SuppressionChange is a policy suppression that was added, removed or
// given a new reason.
type SuppressionChange struct {
	Rule          string
	Action        Action
	Before, After string
}
