// Command jsiiwarmup loads every jsii package the platform uses (constructs,
// cdktf, the AWS, Helm and Kubernetes providers and the platform's own stack
// library) into the jsii kernel once and exits. scripts/warm-jsii-cache.sh
// runs it during set-up.
//
// The kernel of jsii-runtime-go v1.111.0 unpacks each package tarball into
// its package cache (~/.cache/aws/jsii/package-cache by default) the first
// time it loads it, under a file lock, and writes the entry's
// .jsii-runtime-package-cache marker when the unpacking has finished. The AWS
// provider takes seconds to unpack. Test binaries that start together on an
// empty cache wait for each other's lock, and after about ten seconds a
// waiting process takes the lock for stale or gives up with an error. Loading
// everything once before the tests start avoids both.
package main

import (
	awsjsii "github.com/cdktf/cdktf-provider-aws-go/aws/v19/jsii"
	helmjsii "github.com/cdktf/cdktf-provider-helm-go/helm/v10/jsii"
	kubernetesjsii "github.com/cdktf/cdktf-provider-kubernetes-go/kubernetes/v11/jsii"
	tfstackjsii "github.com/honeyhive/platform-jsii/tfstackjs/jsii"

	"github.com/honeyhive/platform/internal/jsiiruntime"
)

func main() {
	awsjsii.Initialize()
	helmjsii.Initialize()
	kubernetesjsii.Initialize()
	tfstackjsii.Initialize()
	jsiiruntime.Close()
}
