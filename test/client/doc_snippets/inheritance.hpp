// What docs/inheritance.md's blocks take as known without showing it: values in hand and a
// function per type. Compiled after the document's preludes (its models) by check.cmake.
#pragma once

inline std::int64_t acme_id = 1;
inline std::int64_t id = 1;
inline std::vector<company> companies_in_hand;

void describe(const employee& e);
void describe(const manager& m);
void describe(const engineer& e);
