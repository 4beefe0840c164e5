// SPDX-License-Identifier: MIT
//===- RolesAction.cpp - List the annotated functions of a header ---------===//
//
// A frontend action, run with
//   clang -fsyntax-only -Xclang -load -Xclang GpuownAnalyzer.so
//         -Xclang -plugin -Xclang gpuown-roles [flags] profile.h
// that prints, as one JSON array on stdout, every gpuown annotation on a
// function or one of its parameters:
//   {"function": "drv_obj_free", "role": "free", "param": 2, "arg": ""}
// "param" counts from 1; 0 means the function itself (its return value).
// "arg" is what follows the role's ':' (a lifecycle, a state), else "".
// Fields are listed too, annotated in place or by a GPUOWN_FIELD_FACT() of
// the profile:
//   {"field": "boot_flags", "record": "fw_init__V2", "role": "versioned",
//    "arg": "V >= V2_0"}
// and, in each file that holds a versioned field, the fields without an
// annotation ("role": ""): a name versioned in one struct and plain in
// another of the same header cannot be told apart by a syntactic rule.
//
// tools/gpuown-check reads this list to give the Coccinelle rules the names a
// driver uses for each role, so the header that the analyzer reads is also
// the only thing the syntactic layer needs. The action knows no role: any
// annotation the vocabulary gains reaches the list without a change here.
//
//===----------------------------------------------------------------------===//

#include "GpuownAnnotations.h"

#include "clang/AST/ASTConsumer.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendPluginRegistry.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

using namespace clang;

namespace {

using Role = std::tuple<std::string, std::string, unsigned, std::string>;
// Field, record, role ("" for none), argument.
using FieldRole =
    std::tuple<std::string, std::string, std::string, std::string>;

class RoleCollector : public RecursiveASTVisitor<RoleCollector> {
public:
  explicit RoleCollector(const SourceManager &SM) : SM(SM) {}

  std::set<Role> Roles;
  std::set<FieldRole> Fields;

  bool VisitFieldDecl(FieldDecl *FD) {
    const RecordDecl *RD = FD->getParent();
    if (!FD->getIdentifier() || !RD || !RD->getIdentifier())
      return true;
    std::string Name = FD->getName().str(), Rec = RD->getName().str();
    FileID File = SM.getFileID(SM.getExpansionLoc(FD->getLocation()));
    bool Any = false;
    gpuown::forEachAnnotation(FD, [&](StringRef S) {
      std::pair<StringRef, StringRef> KV = S.split(':');
      if (KV.first.startswith("fact_"))
        return;
      Fields.insert(FieldRole(Name, Rec, KV.first.str(), KV.second.str()));
      Any = true;
      if (KV.first == "versioned")
        VersionedFiles.insert(File);
    });
    if (!Any)
      Plain.push_back({File, FieldRole(Name, Rec, "", "")});
    return true;
  }

  /// The unannotated fields of the files holding a versioned field.
  void addPlainFields() {
    for (const auto &P : Plain)
      if (VersionedFiles.count(P.first))
        Fields.insert(P.second);
  }

  bool VisitFunctionDecl(FunctionDecl *FD) {
    if (!FD->getIdentifier())
      return true;
    std::string Name = FD->getName().str();
    gpuown::forEachAnnotation(FD, [&](StringRef S) { add(Name, S, 0); });
    for (const FunctionDecl *R : FD->redecls())
      for (unsigned I = 0; I < R->getNumParams(); ++I)
        gpuown::forEachAnnotation(R->getParamDecl(I),
                                  [&](StringRef S) { add(Name, S, I + 1); });
    return true;
  }

private:
  const SourceManager &SM;
  std::set<FileID> VersionedFiles;
  std::vector<std::pair<FileID, FieldRole>> Plain;

  void add(const std::string &Fn, StringRef S, unsigned Param) {
    std::pair<StringRef, StringRef> KV = S.split(':');
    Roles.insert(Role(Fn, KV.first.str(), Param, KV.second.str()));
  }
};

class RolesConsumer : public ASTConsumer {
public:
  void HandleTranslationUnit(ASTContext &Ctx) override {
    RoleCollector C(Ctx.getSourceManager());
    C.TraverseDecl(Ctx.getTranslationUnitDecl());
    C.addPlainFields();
    llvm::json::Array Out;
    for (const Role &R : C.Roles)
      Out.push_back(llvm::json::Object{{"function", std::get<0>(R)},
                                       {"role", std::get<1>(R)},
                                       {"param", std::get<2>(R)},
                                       {"arg", std::get<3>(R)}});
    for (const FieldRole &F : C.Fields)
      Out.push_back(llvm::json::Object{{"field", std::get<0>(F)},
                                       {"record", std::get<1>(F)},
                                       {"role", std::get<2>(F)},
                                       {"arg", std::get<3>(F)}});
    llvm::outs() << llvm::formatv("{0:2}", llvm::json::Value(std::move(Out)))
                 << "\n";
  }
};

class RolesAction : public PluginASTAction {
protected:
  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &,
                                                 StringRef) override {
    return std::make_unique<RolesConsumer>();
  }
  bool ParseArgs(const CompilerInstance &,
                 const std::vector<std::string> &) override {
    return true;
  }
  // The default action type: it runs only when named with -plugin
  // gpuown-roles, as the main action. ReplaceAction would replace the
  // analyzer in every clang that loads this module.
};

} // namespace

static FrontendPluginRegistry::Add<RolesAction>
    X("gpuown-roles",
      "list gpuown-annotated functions, fields and their roles (JSON)");
