#include "GpuownChecks.h"
#include "clang/StaticAnalyzer/Core/Checker.h"
#include "clang/StaticAnalyzer/Core/CheckerManager.h"
using namespace clang;
using namespace ento;
namespace { class OwnershipChecker : public Checker<check::EndOfTranslationUnit> { public: void checkEndOfTranslationUnit(const TranslationUnitDecl *, AnalysisManager &, BugReporter &) const {} }; }
void gpuown::registerOwnershipChecker(CheckerManager &Mgr) { Mgr.registerChecker<OwnershipChecker>(); }
