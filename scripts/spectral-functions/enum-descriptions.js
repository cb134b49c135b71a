// Spectral function for the x-enum-descriptions-shape rule (.spectral.yaml):
// `x-enum-descriptions` is a list of strings, one per value of the `enum`
// beside it, in the same order. The input is the object that carries it.
export default function enumDescriptions(input, options, context) {
  const descriptions = input['x-enum-descriptions'];
  // A result's path is absolute: the carrying object's path plus the key.
  const at = [...context.path, 'x-enum-descriptions'];
  if (!Array.isArray(descriptions)) {
    return [{ message: 'x-enum-descriptions must be a list of strings', path: at }];
  }
  const results = [];
  descriptions.forEach((item, index) => {
    if (typeof item !== 'string') {
      results.push({ message: `x-enum-descriptions[${index}] must be a string`, path: [...at, index] });
    }
  });
  if (!Array.isArray(input.enum)) {
    results.push({ message: 'x-enum-descriptions needs an enum beside it to describe', path: at });
  } else if (descriptions.length !== input.enum.length) {
    results.push({
      message: `x-enum-descriptions has ${descriptions.length} entries but enum has ${input.enum.length} values; give one description per value, in order`,
      path: at,
    });
  }
  return results;
}
