package scenarios

import (
	"embed"

	"github.com/koiisim/koiisim/model"
)

// validations are the scenarios of `koiisim validate`: cases whose
// answer is known in closed form, each file with its derivation in its
// comments. They are not listed among the built-ins.
//
//go:embed validation/*.yaml
var validations embed.FS

// ValidationPrefix starts the Source of a validation scenario.
const ValidationPrefix = "validation:"

// Validation parses the validation scenario name with the --set
// overrides sets; see Parse.
func Validation(name string, sets []string) (*Scenario, model.Problems, error) {
	data, err := validations.ReadFile("validation/" + name + ".yaml")
	if err != nil || !scenarioName.MatchString(name) {
		return nil, nil, inputError(name, "is not a validation scenario")
	}
	return Parse(data, ValidationPrefix+name, sets)
}
