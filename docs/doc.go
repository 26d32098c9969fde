// Package docs is koiisim's documentation: model.md, the specification
// of the model the code implements (comments cite it as
// "docs/model.md §N"); scenario-reference.md, the scenario format as
// `koiisim scenarios --reference` prints it; and the README's figures.
//
// It holds no code but tests that keep model.md true to the code:
// every section number cited anywhere in the repository must be a
// heading of model.md, nothing may point at a document outside the
// repository, and every option the scenario reference lists (task,
// rules, costs and population keys, behaviour kinds and their
// parameters) must be specified in model.md, and every metric a run
// reports must be named in its §9.
package docs
