// Package tfstack provides the TerraformStack every stack of the platform is
// built on.
package tfstack

import (
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
)

// stack is a TerraformStack whose resource addresses are readable.
//
// CDKTF names each element after its construct path plus a hash of that path
// (aws_subnet.network_private_0_4E8F0223). Here the hash is dropped, so the
// address is the snake_case path below the stack (aws_subnet.network_private_0)
// and reads like hand-written HCL in plans and reviews. The path is unique
// among siblings, so two elements get the same address only when their IDs
// join the same way ("a_b"/"c" and "a"/"b_c"). That case is reported instead
// of silently merging two resources.
type stack struct {
	cdktf.TerraformStack

	mu    sync.Mutex
	path  string
	taken map[string]string
}

var unsafeChars = regexp.MustCompile(`[^A-Za-z0-9_-]`)

// New returns a stack named id in scope whose elements get readable logical
// IDs. Construct IDs inside it should be snake_case, because they become
// Terraform addresses: renaming one destroys and re-creates the resource.
func New(scope constructs.Construct, id string) cdktf.TerraformStack {
	s := &stack{taken: map[string]string{}}
	cdktf.NewTerraformStack_Override(s, scope, jsii.String(id))
	return s
}

// AllocateLogicalId is called by CDKTF once for every element of the stack.
func (s *stack) AllocateLogicalId(element interface{}) *string {
	var node constructs.Node
	switch e := element.(type) {
	case constructs.Node:
		node = e
	case constructs.IConstruct:
		node = e.Node()
	default:
		panic(fmt.Sprintf("tfstack: cannot name element of type %T", element))
	}

	s.mu.Lock()
	defer s.mu.Unlock()

	path := *node.Path()
	if s.path == "" {
		s.path = *s.Node().Path()
	}
	relative := strings.TrimPrefix(path, s.path+"/")

	id := unsafeChars.ReplaceAllString(strings.ReplaceAll(relative, "/", "_"), "_")
	if id == "" || (id[0] >= '0' && id[0] <= '9') {
		id = "_" + id
	}

	if other, ok := s.taken[id]; ok && other != path {
		panic(fmt.Sprintf("tfstack: %q and %q both map to the address %q; rename one of their construct IDs", other, path, id))
	}
	s.taken[id] = path
	return jsii.String(id)
}
