package stacks

import (
	"os"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/honeyhive/platform/environments"
	"github.com/honeyhive/platform/internal/tfstack"
)

// BenchmarkSynth measures building and synthesizing stacks into a temporary
// directory. The baseline case synthesizes the smallest real stack, test's
// substrate. scripts/bench.sh reports every case as a multiple of it, so the
// ratios stay comparable across machines. The empty stack shows the
// fixed cost of one synth.
func BenchmarkSynth(b *testing.B) {
	envs := environments.All()
	cases := []struct {
		name  string
		build func(app cdktf.App)
	}{
		{"empty_stack", func(app cdktf.App) { tfstack.New(app, "empty") }},
		{"baseline_one_substrate", func(app cdktf.App) {
			Build(app, envs, Selection{Environments: []string{"test"}, Layers: []string{LayerSubstrate}}, Options{})
		}},
		{"all_stacks", func(app cdktf.App) { Build(app, envs, Selection{}, Options{}) }},
	}

	synth := func(b *testing.B, build func(app cdktf.App)) {
		dir, err := os.MkdirTemp("", "bench-synth-")
		if err != nil {
			b.Fatal(err)
		}
		defer os.RemoveAll(dir)
		app := cdktf.NewApp(&cdktf.AppConfig{Outdir: jsii.String(dir), StackTraces: jsii.Bool(false)})
		build(app)
		app.Synth()
	}

	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			// The first synth in a process starts Node.js and loads the
			// provider assemblies. One untimed run keeps that cost out of
			// every case, whichever runs first.
			synth(b, c.build)

			for b.Loop() {
				synth(b, c.build)
			}
		})
	}
}
