// How dependency-cruiser reads TypeScript here: through Babel, as typescript 7 (the native tsc) has no JS API for
// dependency-cruiser to use. Types are stripped, but every import and re-export is kept, type-only ones included
// (`import type`, `import { type X }`), so that a type import across a boundary breaks a rule as any other does.
function keepTypeImports() {
  const asValue = (node) => {
    if (node.importKind) node.importKind = 'value';
    if (node.exportKind) node.exportKind = 'value';
    for (const specifier of node.specifiers ?? []) {
      if (specifier.importKind) specifier.importKind = 'value';
      if (specifier.exportKind) specifier.exportKind = 'value';
    }
  };
  // On entering the program, before @babel/preset-typescript (which drops type imports on entering it too).
  return {
    visitor: {
      Program(program) {
        program.traverse({
          ImportDeclaration: (path) => asValue(path.node),
          ExportNamedDeclaration: (path) => {
            if (path.node.source) asValue(path.node);
          },
          ExportAllDeclaration: (path) => asValue(path.node),
        });
      },
    },
  };
}

module.exports = {
  babelrc: false,
  configFile: false,
  plugins: [keepTypeImports],
  presets: [['@babel/preset-typescript', { onlyRemoveTypeImports: true }]],
};
