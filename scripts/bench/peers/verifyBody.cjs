// autocannon's worker thread `require`s this (a function cannot be passed to a worker): a response counts as a mismatch
// unless its body is a GraphQL answer with data and no errors. Substrings, not JSON.parse, to keep the client cheap;
// scripts/benchPeers.ts checks before measuring that this agrees with the full check of each gateway's answer.
module.exports = function verifyBody(body) {
  return body.includes('"data":{') && !body.includes('"errors":');
};
