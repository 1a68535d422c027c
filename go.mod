module github.com/honeyhive/platform

go 1.26

// node_modules holds the npm tooling; one npm package ships Go sources that
// are not part of this module.
ignore ./node_modules

replace (
	// The Go module proxy reachable from the build machines does not serve these
	// two binding modules, so `make` generates them from the pinned npm packages
	// with jsii-pacmak into .gen/ (see the README). The module paths are the
	// upstream ones, so dropping these lines switches to the published modules.
	github.com/cdktf/cdktf-provider-helm-go/helm/v10 => ./.gen/helm
	github.com/cdktf/cdktf-provider-kubernetes-go/kubernetes/v11 => ./.gen/kubernetes

	// .gen/aws is the pinned published module, copied from the module cache
	// by `make` with its jsii tarball repacked to load the provider lazily
	// (see "Synth speed" in the README). go.sum keeps the module's lines
	// because the copy is downloaded and verified against them; dropping this
	// line switches back to the stock module.
	github.com/cdktf/cdktf-provider-aws-go/aws/v19 => ./.gen/aws

	// .gen/tfstackjs holds the Go bindings of internal/tfstack/js, a small
	// jsii library of this repository written in TypeScript, compiled by
	// `make` (see internal/tfstack). The module is not published anywhere.
	github.com/honeyhive/platform-jsii/tfstackjs => ./.gen/tfstackjs
)

require (
	github.com/aws/constructs-go/constructs/v10 v10.4.2
	github.com/aws/jsii-runtime-go v1.111.0
	github.com/cdktf/cdktf-provider-aws-go/aws/v19 v19.65.1
	github.com/cdktf/cdktf-provider-helm-go/helm/v10 v10.5.0
	github.com/cdktf/cdktf-provider-kubernetes-go/kubernetes/v11 v11.12.1
	github.com/google/go-cmp v0.7.0
	github.com/hashicorp/terraform-cdk-go/cdktf v0.20.12
	github.com/honeyhive/platform-jsii/tfstackjs v0.0.0
	github.com/stretchr/testify v1.12.1
	sigs.k8s.io/yaml v1.6.0
)

require (
	github.com/Masterminds/semver/v3 v3.3.1 // indirect
	github.com/fatih/color v1.18.0 // indirect
	github.com/mattn/go-colorable v0.1.13 // indirect
	github.com/mattn/go-isatty v0.0.20 // indirect
	github.com/yuin/goldmark v1.4.13 // indirect
	go.yaml.in/yaml/v2 v2.4.2 // indirect
	go.yaml.in/yaml/v3 v3.0.5 // indirect
	golang.org/x/lint v0.0.0-20210508222113-6edffad5e616 // indirect
	golang.org/x/mod v0.24.0 // indirect
	golang.org/x/sync v0.12.0 // indirect
	golang.org/x/sys v0.31.0 // indirect
	golang.org/x/tools v0.31.0 // indirect
)
