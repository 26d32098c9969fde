// Package docs is koiisim's documentation: model.md, the specification
// of the model the code implements (comments cite it as
// "docs/model.md §N"); scenario-reference.md, the scenario format as
// `koiisim scenarios --reference` prints it; and the README's figures.
//
// It holds no code but a test that keeps the citations true: every
// section number cited anywhere in the repository must be a heading of
// model.md, and nothing may point at a document outside the repository.
package docs
