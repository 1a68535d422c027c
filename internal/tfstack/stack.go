// Package tfstack provides the TerraformStack every stack of the platform is
// built on.
//
// The stack class itself is TypeScript (js/index.ts): `make` compiles it
// with jsii into a jsii library and generates its Go bindings into
// .gen/tfstackjs, which go.mod points at.
package tfstack

import (
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/honeyhive/platform-jsii/tfstackjs"
)

// New returns a stack named id in scope whose elements get readable
// Terraform addresses: the snake_case construct path below the stack, such
// as aws_subnet.network_private_0, without the hash CDKTF appends by
// default. Construct IDs inside it should therefore be snake_case, and
// renaming one destroys and re-creates the resource unless the rename moves
// it (see the README).
//
// Two elements whose paths join to the same address, such as "a_b"/"c" and
// "a"/"b_c", make the synth fail with an error that names both.
func New(scope constructs.Construct, id string) cdktf.TerraformStack {
	return tfstackjs.NewReadableStack(scope, jsii.String(id))
}
