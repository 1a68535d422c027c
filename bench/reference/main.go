// Command reference is the benchmark's reference point: a stock CDKTF app
// with one stack that holds an AWS provider and one VPC, built against the
// unmodified published AWS provider module (this module's go.mod has no
// replace directive). scripts/bench.sh reports the platform's synth times as
// ratios of this app's time, measured in the same run.
package main

import (
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpc"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
)

func newStack(scope constructs.Construct, id string) cdktf.TerraformStack {
	stack := cdktf.NewTerraformStack(scope, jsii.String(id))
	provider.NewAwsProvider(stack, jsii.String("aws"), &provider.AwsProviderConfig{
		Region: jsii.String("us-west-2"),
	})
	vpc.NewVpc(stack, jsii.String("vpc"), &vpc.VpcConfig{
		CidrBlock: jsii.String("10.0.0.0/16"),
	})
	return stack
}

func main() {
	app := cdktf.NewApp(nil)
	newStack(app, "reference")
	app.Synth()

	// jsii.Close stops Node.js and removes the runtime jsii unpacked into
	// the temporary directory. A stock app that skips it leaves about 2 MB
	// behind on every run.
	jsii.Close()
}
