// ts-jest wants a transformer module with name, version and factory; Nest's swagger plugin
// exports `before`. This adapts it, so in-process apps in tests describe the API as the build does.
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { before } = require('@nestjs/swagger/plugin');

const options = JSON.parse(
  readFileSync(join(__dirname, '../../nest-cli.json'), 'utf8'),
).compilerOptions.plugins.find((plugin) => plugin.name === '@nestjs/swagger').options;

module.exports = {
  name: 'nestjs-swagger-plugin',
  version: '1',
  factory: (compiler) => before(options, compiler.program),
};
