/// The person's legal procedure and the dates that decide when they may work.
public struct Procedure: Codable, Equatable, Sendable {
  /// In Belgium an asylum seeker may work four months after applying for asylum.
  public static let workPermitDelayMonths = 4

  public var status: ProcedureStatus?
  public var applicationDate: LocalDate?
  /// Stored always; derived from the application date unless `workPermitDateOverridden`.
  public private(set) var workPermitDate: LocalDate?
  /// True when the work-permit date was entered by hand rather than derived.
  public private(set) var workPermitDateOverridden: Bool

  public init(
    status: ProcedureStatus? = nil, applicationDate: LocalDate? = nil,
    workPermitOverride: LocalDate? = nil
  ) {
    self.status = status
    self.applicationDate = applicationDate
    self.workPermitDate = workPermitOverride
    self.workPermitDateOverridden = workPermitOverride != nil
    rederive()
  }

  enum CodingKeys: String, CodingKey {
    case status, applicationDate, workPermitDate, workPermitDateOverridden
  }

  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    status = try c.decodeIfPresent(ProcedureStatus.self, forKey: .status)
    applicationDate = try c.decodeIfPresent(LocalDate.self, forKey: .applicationDate)
    workPermitDate = try c.decodeIfPresent(LocalDate.self, forKey: .workPermitDate)
    workPermitDateOverridden =
      try c.decodeIfPresent(Bool.self, forKey: .workPermitDateOverridden) ?? false
    rederive()
  }

  /// Sets the application date; a derived work-permit date follows it.
  public mutating func setApplicationDate(_ date: LocalDate?) {
    applicationDate = date
    rederive()
  }

  /// Overrides the work-permit date by hand, or with nil goes back to the derived date.
  public mutating func overrideWorkPermitDate(_ date: LocalDate?) {
    workPermitDateOverridden = date != nil
    workPermitDate = date
    rederive()
  }

  /// The date derived from the application date (application + 4 months), if any.
  public var derivedWorkPermitDate: LocalDate? {
    applicationDate?.adding(months: Procedure.workPermitDelayMonths)
  }

  private mutating func rederive() {
    if !workPermitDateOverridden { workPermitDate = derivedWorkPermitDate }
  }
}

/// The person's status in the asylum or protection procedure.
public enum ProcedureStatus: String, StoredCode, CaseIterable, Sendable {
  case asylumSeeker = "asylum-seeker"
  case recognisedRefugee = "recognised-refugee"
  case subsidiaryProtection = "subsidiary-protection"
  case temporaryProtection = "temporary-protection"
  case other
}
