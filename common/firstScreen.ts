/**
 * Points a console asks for first when it opens: more than any screen of the grid shows, few enough to arrive and
 * paint at once. The core keeps this many in grid order, ready for that question.
 */
export const FIRST_SCREEN_POINTS = 400;

/** The getNetwork params of that first question (the web page's boot chunk asks it early, the store asks it again). */
export const FIRST_SCREEN_PARAMS: { readonly limit: number } = { limit: FIRST_SCREEN_POINTS };
