// Stylesheets and SVGs are Vite's business; component tests only need the import to resolve.
module.exports = {};
