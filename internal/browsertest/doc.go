// Package browsertest drives Chromium through Parcours' pages: the demo's main journeys (the
// administrator's, a new candidate's application), every page template checked with axe-core,
// keyboard use and use without JavaScript.
//
// One browser serves the whole package; each test works in a tab of its own browser context
// (its own cookies). The tests skip, or fail with PARCOURS_CI=1, when no Chromium is found:
// PARCOURS_CHROMIUM names the binary, else chromium, chromium-browser or google-chrome is
// looked for on PATH. axe-core (MPL-2.0) is vendored in testdata/axe-core.
package browsertest
