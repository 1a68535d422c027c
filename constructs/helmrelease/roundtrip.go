package helmrelease

import "sigs.k8s.io/yaml"

// roundTrip marshals in to YAML and back into out, the way Helm will see it.
func roundTrip(in, out any) error {
	data, err := yaml.Marshal(in)
	if err != nil {
		return err
	}
	return yaml.Unmarshal(data, out)
}
