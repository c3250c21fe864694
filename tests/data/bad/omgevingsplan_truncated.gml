<?xml version="1.0" encoding="utf-8"?>
<!--Aangemaakt door emo op maandag 15 juni 2015, 11:08:54-->
<imro:FeatureCollectionIMRO gml:id="NL.IMRO.FEATURECOLLECTION" xmlns:imro="http://www.geonovum.nl/imro/2012/1.1" xmlns:gml="http://www.opengis.net/gml/3.2" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xlink="http://www.w3.org/1999/xlink" xsi:schemaLocation="http://www.geonovum.nl/imro/2012/1.1 http://schemas.geonovum.nl/imro/2012/1.1/IMRO2012.xsd">
   <imro:featureMember>
      <imro:MetadataIMRObestand gml:id="NL.IMRO.METADATA">
         <imro:datasetTitel>Doornboom</imro:datasetTitel>
         <imro:creatiedatum>2015-06-15</imro:creatiedatum>
         <imro:bronbeheerder>Gemeente Hilvarenbeek</imro:bronbeheerder>
         <imro:codeerVerantwoordelijke>SAB</imro:codeerVerantwoordelijke>
         <imro:naamApplicatieschema>IMRO2012</imro:naamApplicatieschema>
         <imro:codeReferentiesysteem>28992</imro:codeReferentiesysteem>
         <imro:toepassingsschaal>1000</imro:toepassingsschaal>
         <imro:applicatieIdentificatie>GISkit PlanKaart IMRO2012</imro:applicatieIdentificatie>
         <imro:versieXMLschema>0.0.1</imro:versieXMLschema>
      </imro:MetadataIMRObestand>
   </imro:featureMember>
   <imro:featureMember>
      <imro:Figuur gml:id="NL.IMRO.da5ed70e337a4d40a2ebd0f09b87fc15">
         <imro:identificatie>
            <imro:NEN3610ID>
               <imro:namespace>NL.IMRO</imro:namespace>
               <imro:lokaalID>da5ed70e337a4d40a2ebd0f09b87fc15</imro:lokaalID>
            </imro:NEN3610ID>
         </imro:identificatie>
         <imro:typePlanobject>figuur</imro:typePlanobject>
         <imro:plangebied xlink:href="#NL.IMRO.0798.BPDoornboom-ON01" />
         <imro:bestemmingsvlak xlink:href="#NL.IMRO.f33370be08c84334abd9abbf5212bb4f" />
         <imro:naam>gevellijn</imro:naam>
         <imro:geometrie>
            <gml:Curve gml:id="id.1e1dc9e727e048149e6bfca0a4329c0a" srsName="urn:ogc:def:crs:EPSG::28992">
               <gml:segments>
                  <gml:LineStringSegment>
                     <gml:posList>137485.109 388846.643 137491.937 388848.067</gml:posList>
                  </gml:LineStringSegment>
               </gml:segments>
            </gml:Curve>
         </imro:geometrie>
      </imro:Figuur>
   </imro:featureMember>
   <imro:featureMember>
      <imro:Figuur gml:id="NL.IMRO.bbe5995531bc4169b1c997020ed293e3">
         <imro:identificatie>
            <imro:NEN3610ID>
               <imro:namespace>NL.IMRO</imro:namespace>
               <imro:lokaalID>bbe5995531bc4169b1c997020ed293e3</imro:lokaalID>
            </imro:NEN3610ID>
         </imro:identificatie>
         <imro:typePlanobject>figuur</imro:typePlanobject>
         <imro:plangebied xlink:href="#NL.IMRO.0798.BPDoornboom-ON01" />
         <imro:bestemmingsvlak xlink:href="#NL.IMRO.422a8d8a864642ac991d064fe3737cd0" />
         <imro:naam>gevellijn</imro:naam>
         <imro:geometrie>
            <gml:Curve gml:id="id.0b5350f25fbf40a1a4290b090fe55f16" srsName="urn:ogc:def:crs:EPSG::28992">
               <gml:segments>
                  <gml:LineStringSegment>
                     <gml:posList>137533.472 388914.326 137531.507 388934.964</gml:posList>
                  </gml:LineStringSegment>
               </gml:segments>
            </gml:Curve>
         </imro:geometrie>
      </imro:Figuur>
   </imro:featureMember>
   <imro:featureMember>
      <imro:Figuur gml:id="NL.IMRO.e440dcde34ab41709f90240d82c0675c">
         <imro:identificatie>
            <imro:NEN3610ID>
               <imro:namespace>NL.IMRO</imro:namespace>
               <imro:lokaalID>e440dcde34ab41709f90240d82c0675c</imro:lokaalID>
            </imro:NEN3610ID>
         </imro:identificatie>
         <imro:typePlanobject>figuur</imro:typePlanobject>
         <imro:plangebied xlink:href="#NL.IMRO.0798.BPDoornboom-ON01" />
         <imro:bestemmingsvlak xlink:href="#NL.IMRO.422a8d8a864642ac991d064fe3737cd0" />
         <imro:naam>gevellijn</imro:naam>
         <imro:geometrie>
            <gml:Curve gml:id="id.b9e41a042b47407c82526ef1e7e6eab4" srsName="urn:ogc:def:crs:EPSG::28992">
               <gml:segments>
                  <gml:LineStringSegment>
                     <gml:posList>137472.787 388908.549 137514.655 388912.534</gml:posList>
                  </gml:LineStringSegment>
               </gml:segments>
            </gml:Curve>
         </imro:geometrie>
      </imro:Figuur>
   </imro:featureMember>
   <imro:featureMember>
      <imro:Figuur gml:id="NL.IMRO.f8b5210b9fff45de8ec4bd9fdb1c3956">
         <imro:identificatie>
            <imro:NEN3610ID>
               <imro:namespace>NL.IMRO</imro:namespace>
               <imro:lokaalID>f8b5210b9fff45de8ec4bd9fdb1c3956</imro:lokaalID>
            </imro:NEN3610ID>
         </imro:identificatie>
         <imro:typePlanobject>figuur</imro:typePlanobject>
         <imro:plangebied xlink:href="#NL.IMRO.0798.BPDoornboom-ON01" />
         <imro:bestemmingsvlak xlink:href="#NL.IMRO.f33370be08c84334abd9abbf5212bb4f" />
         <imro:naam>gevellijn</imro:naam>
         <imro:geometrie>
            <gml:Curve gml:id="id.b5eb2bd051564a298c93a6d522c6f95a" srsName="urn:ogc:def:crs:EPSG::28992">
               <gml:segments>
                  <gml:LineStringSegment>
                     <gml:posList>137529.816 388900.658 137475.836 388891.486</gml:posList>
                  </gml:LineStringSegment>
               </gml:segments>
            </gml:Curve>
         </imro:geometrie>
      </imro:Figuur>
   </imro:featureMember>
   <imro:featureMember>
      <imro:Figuur gml:id="NL.IMRO.a6713a0bdd3e4a2fa20c5f3515c63e2c">
         <imro:identificatie>
            <imro:NEN3610ID>
               <imro:namespace>NL.IMRO</imro:namespace>
               <imro:lokaalID>a6713a0bdd3e4a2fa20c5f3515c63e2c</imro:lokaalID>
            </imro:NEN3610ID>
         </imro:identificatie>
         <imro:typePlanobject>figuur</imro:typePlanobject>
         <imro:plangebied xlink:href="#NL.IMRO.0798.BPDoornboom-ON01" />
         <imro:bestemmingsvlak xlink:href="#NL.IMRO.422a8d8a864642ac991d064fe3737cd0" />
         <imro:naam>gevellijn</imro:naam>
         <imro:geometrie>
            <gml:Curve gml:id="id.24de3cd877714fbc89926ae38153c770" srsName="urn:ogc:def:crs:EPSG::28992">
               <gml:segments>
                  <gml:LineStringSegment>
                     <gml:posList>137463.549 388896.622 137462.221 388908.925</gml:posList>
                  </gml:LineStringSegment>
               </gml:segments>
            </gml:Curve>
         </imro:geometrie>
      </imro:Figuur>
   </imro:featureMember>
   <imro:featureMember>
      <imro:Figuur gml:id="NL.IMRO.c56fb2fc926a4d098864046c85840a25">
         <imro:identificatie>
            <imro:NEN3610ID>
               <imro:namespace>NL.IMRO</imro:namespace>
               <imro:lokaalID>c56fb2fc926a4d098864046c85840a25</imro:lokaalID>
            </imro:NEN3610ID>
         </imro:identificatie>
         <imro:typePlanobject>figuur</imro:typePlanobject>
         <imro:plangebied xlink:href="#NL.IMRO.0798.BPDoornboom-ON01" />
         <imro:bestemmingsvlak xlink:href="#NL.IMRO.422a8d8a864642ac991d064fe3737cd0" />
         <imro:naam>gevellijn</imro:naam>
         <imro:geometrie>
            <gml:Curve gml:id="id.7f76db244ecc43028d83014ad4e349b0" srsName="urn:ogc:def:crs:EPSG::28992">
               <gml:segments>
                  <gml:LineStringSegment>
                     <gml:posList>137462.221 388908.925 137468.999 388909.657</gml:posList>
                  </gml:LineStringSegment>
               </gml:segments>
            </gml:Curve>
         </imro:geometrie>
      </imro:Figuur>
   </imro:featureMember>
   <imro:featureMember>
      <imro:Figuur gml:id="NL.IMRO.0bff7510b837470cb78440a89132c731">
         <imro:identificatie>
            <imro:NEN3610ID>
               <imro:namespace>NL.IMRO</imro:namespace>
               <imro:lokaalID>0bff7510b837470cb78440a89132c731</imro:lokaalID>
            </imro:NEN3610ID>
         </imro:identificatie>
         <imro:typePlanobject>figuur</imro:typePlanobject>
         <imro:plangebied xlink:href="#NL.IMRO.0798.BPDoornboom-ON01" />
         <imro:bestemmingsvlak xlink:href="#NL.IMRO.422a8d8a864642ac991d064fe3737cd0" />
         <imro:naam>gevellijn</imro:naam>
         <imro:geometrie>
            <gml:Curve gml:id="id.bb29b7e7407f4ae0ba9cbe087ad53dd9" srsName="urn:ogc:def:crs:EPSG::28992">
               <gml:segments>
                  <gml:LineStringSegment>
                     <gml:posList>137465.134 388876.381 137462.955 388896.557</gml:posList>
                  </gml:LineStringSegment>
               </gml:segments>
            </gml:Curve>
         </imro:geometrie>
      </imro:Figuur>
   </imro:featureMember>
   <imro:featureMember>
      <imro:Bestemmingsplangebied gml:id="NL.IMRO.0798.BPDoornboom-ON01">
         <imro:identificatie>
            <imro:NEN3610ID>
               <imro:namespace>NL.IMRO</imro:namespace>
               <imro:lokaalID>0798.BPDoornboom</imro:lokaalID>
               <imro:versie>ON01</imro:versie>
            </imro:NEN3610ID>
         </imro:identificatie>
         <imro:typePlan>bestemmingsplan</imro:typePlan>
         <imro:beleidsmatigVerantwoordelijkeOverheid>gemeentelijke overheid</imro:beleidsmatigVerantwoordelijkeOverheid>
         <imro:naamOverheid>Gemeente Hilvarenbeek</imro:naamOverheid>
         <imro:overheidsCode>0798</imro:overheidsCode>
         <imro:naam>Doornboom</imro:naam>
         <imro:locatieNaam>Doornboom</imro:locatieNaam>
         <imro:planstatusInfo>
            <imro:PlanstatusEnDatum>
               <imro:planstatus>ontwerp</imro:planstatus>
               <imro:datum>2015-06-10</imro:datum>
            </imro:PlanstatusEnDatum>
         </imro:planstatusInfo>
         <imro:verwijzingNaarTekstInfo>
            <imro:TekstReferentiePG_BP>
               <imro:verwijzingNaarTekst>b_NL.IMRO.0798.BPDoornboom-ON01_rb.html</imro:verwijzingNaarTekst>
               <imro:typeTekst>bijlage bij regels</imro:typeTekst>
            </imro:TekstReferentiePG_BP>
         </imro:verwijzingNaarTekstInfo>
         <imro:verwijzingNaarTekstInfo>
            <imro:TekstReferentiePG_BP>
               <imro:verwijzingNaarTekst>r_NL.IMRO.0798.BPDoornboom-ON01.html</imro:verwijzingNaarTekst>
               <imro:typeTekst>regels</imro:typeTekst>
            </imro:TekstReferentiePG_BP>
         </imro:verwijzingNaarTekstInfo>
         <imro:verwijzingNaarTekstInfo>
            <imro:TekstReferentiePG_BP>
               <imro:verwijzingNaarTekst>b_NL.IMRO.0798.BPDoornboom-ON01_tb.html</imro:verwijzingNaarTekst>
               <imro:typeTekst>bijlage bij toelichting</imro:typeTekst>
            </imro:TekstReferentiePG_BP>
         </imro:verwijzingNaarTekstInfo>
         <imro:verwijzingNaarTekstInfo>
            <imro:TekstReferentiePG_BP>
               <imro:verwijzingNaarTekst>t_NL.IMRO.0798.BPDoornboom-ON01.pdf</imro:verwijzingNaarTekst>
               <imro:typeTekst>toelichting</imro:typeTekst>
            </imro:TekstReferentiePG_BP>
         </imro:verwijzingNaarTekstInfo>
         <imro:ondergrondInfo>
            <imro:OndergrondReferentie>
               <imro:ondergrondtype>grootschalige basiskaart (GBK)</imro:ondergrondtype>
               <imro:ondergronddatum>2014-06-16</imro:ondergronddatum>
            </imro:OndergrondReferentie>
         </imro:ondergrondInfo>
         <imro:verwijzingNorm>IMRO2012</imro:verwijzingNorm>
         <imro:verwijzingNorm>PRBP2012</imro:verwijzingNorm>
         <imro:verwijzingNorm>PRABPK2012</imro:verwijzingNorm>
         <imro:geometrie>
            <gml:Surface gml:id="id.dc01946596b4428788321ed6ccdf60de" srsName="urn:ogc:def:crs:EPSG::28992">
               <gml:patches>
                  <gml:PolygonPatch>
                     <gml:exterior>
                        <gml:LinearRing>
                           <gml:posList>137475.258 388929.098 137436.373 388923.754 137444.532 388890.201 137448.216 388875.06 137448.951 388872.045 137458.387 388873.549 137464.494 388874.523 137464.847 388874.579 137467.478 388874.999 137474.504 388843.465 137477.684 388844.132 137492.137 388847.103 137491.937 388848.067 137490.599 388854.526 137486.883 388872.921 137496.039 388874.385 137505.134 388875.842 137514.368 388877.32 137523.523 388878.785 137533.267 388880.345 137533.424 388880.37 137539.206 388881.296 137533.868 388937.156 137531.522 388936.833 137530.939 388936.753 137488.263 388930.886 137475.258 388929.098</gml:posList>
                        </gml:LinearRing>
                     </gml:exterior>
                  </gml:PolygonPatch>
               </gml:patches>
            </gml:Surface>
         </imro:geometrie>
      </imro:Bestemmingsplangebied>
   </imro:featureMember>
   <imro:featureMember>
      <imro:Bouwaanduiding gml:id="NL.IMRO.3c3b6f4bdf5b4168bb4932c48d90466e">
         <imro:identificatie>
            <imro:NEN3610ID>
               <imro:namespace>NL.IMRO</imro:namespace>
               <imro:lokaalID>3c3b6f4bdf5b4168bb4932c48d90466e</imro:lokaalID>
            </imro:NEN3610ID>
         </imro:identificatie>
         <imro:typePlanobject>bouwaanduiding</imro:typePlanobject>
         <imro:plangebied xlink:href="#NL.IMRO.0798.BPDoornboom-ON01" />
         <imro:bestemmingsvlak xlink:href="#NL.IMRO.9cacbcca5a9e412faeaf47df4d75173d" />
         <imro:naam>onderdoorgang</imro:naam>
         <imro:labelInfo>
            <imro:Label>
               <imro:tekst>[ond]</imro:tekst>
               <imro:positie>
                  <imro:Labelpositie>
                     <imro:plaatsingspunt>
                        <gml:Point srsName="urn:ogc:def:crs:EPSG::28992" gml:id="id.3d86e9db868e468eb3ae8939befc1a58">
                           <gml:pos>137470.305 388912.974</gml:pos>
                        </gml:Point>
                     </imro:plaatsingspunt>
                  </imro:Labelpositie>
               </imro:positie>
            </imro:Label>
         </imro:labelInfo>
         <imro:geometrie>
            <gml:Surface gml:id="id.aa6cfdc760a944a6887b21507b024a93" srsName="urn:ogc:def:crs:EPSG::28992">
               <gml:patches>
                  <gml:PolygonPatch>
                     <gml:exterior>
                        <gml:LinearRing>
                           <gml:posList>137472.124 388915.417 137468.373 388915.044 137468.935 388910.204 137472.585 388910.567 137472.124 388915.417</gml:posList>
                        </gml:LinearRing>
                     </gml:exterior>
                  </gml:PolygonPatch>
               </gml:patches>
            </gml:Surface>
         </imro:geometrie>
      </imro:Bouwaanduiding>
   </imro:featureMember>
   <imro:featureMember>
      <imro:Bouwaanduiding gml:id="NL.IMRO.93f8afab2f914a6b85f588230ec4229a">
         <imro:identificatie>
            <imro:NEN3610ID>
               <imro:namespace>NL.IMRO</imro:namespace>
               <imro:lokaalID>93f8afab2f914a6b85f588230ec4229a</imro:lokaalID>
            </imro:NEN3610ID>
         </imro:identificatie>
         <imro:typePlanobject>bouwaanduiding</imro:typePlanobject>
         <imro:plangebied xlink:href="#NL.IMRO.0798.BPDoornboom-ON01" />
         <imro:bestemmingsvlak xlink:href="#NL.IMRO.f33370be08c84334abd9abbf5212bb4f" />
         <imro:naam>specifieke bouwaanduiding - helft van een twee-onder-een-kap</imro:naam>
         <imro:labelInfo>
            <imro:Label>
               <imro:tekst>[sba-h2k]</imro:tekst>
               <imro:positie>
                  <imro:Labelpositie>
                     <imro:plaatsingspunt>
                        <gml:Point srsName="urn:ogc:def:crs:EPSG::28992" gml:id="id.4904eec399c8408087f58ce7b7b1135a">
                           <gml:pos>137485.882 388852.093</gml:pos>
                        </gml:Point>
                     </imro:plaatsingspunt>
                  </imro:Labelpositie>
               </imro:positie>
            </imro:Label>
         </imro:labelInfo>
         <imro:geometrie>
            <gml:Surface gml:id="id.f0741ef758de4b56bd5efe42ac9b0791" srsName="urn:ogc:def:crs:EPSG::28992">
               <gml:patches>
                  <gml:PolygonPatch>
                     <gml:exterior>
                        <gml:LinearRing>
                           <gml:posList>137480.47 388871.895 137479.025 388871.663 137481.032 388858.051 137481.204 388856.885 137482.789 388849.032 137484.555 388849.388 137485.109 388846.643 137491.937 388848.067 137490.599 388854.526 137489.529 388859.823 137486.883 388872.921 137480.47 388871.895</gml:posList>
                        </gml:LinearRing>
                     </gml:exterior>
                  </gml:PolygonPatch>
               </gml:patches>
            </gml:Surface>
         </imro:geometrie>
      </imro:Bouwaanduiding>
   </imro:featureMember>
   <imro:featureMember>
      <imro:Bouwaanduiding gml:id="NL.IMRO.aaa5bc11caa94c1cae6443d5403e1a8d">
         <imro:identificatie>
            <imro:NEN3610ID>
               <imro:namespace>NL.IMRO</imro:namespace>
               <imro:lokaalID>aaa5bc11caa94c1cae6443d5403e1a8d</imro:lokaalID>
            </imro:NEN3610ID>
         </imro:identificatie>
         <imro:typePlanobject>bouwaanduiding</imro:typePlanobject>
         <imro:plangebied xlink:href="#NL.IMRO.0798.BPDoornboom-ON01" />
         <imro:bestemmingsvlak xlink:href="#NL.IMRO.9cacbcca5a9e412faeaf47df4d75173d" />
         <imro:naam>aaneengebouwd</imro:naam>
         <imro:labelInfo>
            <imro:Label>
               <imro:tekst>[aeg]</imro:tekst>
               <imro:positie>
                  <imro:Labelpositie>
                     <imro:plaatsingspunt>
                        <gml:Point srsName="urn:ogc:def:crs:EPSG::28992" gml:id="id.541e8c9495e14fa280f7360f7ae8ab13">
                           <gml:pos>137457.331 388904.345</gml:pos>
                        </gml:Point>
                     </imro:plaatsingspunt>
                  </imro:Labelpositie>
               </imro:positie>
            </imro:Label>
         </imro:labelInfo>
         <imro:geometrie>
            <gml:Surface gml:id="id.19b40484466d45a0b78f483048a92c59" srsName="urn:ogc:def:crs:EPSG::28992">
               <gml:patches>
                  <gml:PolygonPatch>
                     <gml:exterior>
                        <gml:Ring>
                           <gml:curveMember>
                              <gml:Curve gml:id="id.b518697a706247e496136419feaa5090">
                                 <gml:segments>
                                    <gml:LineStringSegment>
                                       <gml:posList>137472.124 388915.417 137468.373 388915.044 137468.246 388916.137</gml:posList>
                                    </gml:LineStringSegment>
                                    <gml:Arc>
                                       <gml:posList>137468.246 388916.137 137467.887 388916.238 137467.514 388916.242</gml:posList>
                                    </gml:Arc>
                                    <gml:LineStringSegment>
                                       <gml:posList>137467.514 388916.242 137446.059 388913.404 137446.723 388907.252 137441.998 388906.742 137440.548 388906.586 137440.562 388906.529 137444.532 388890.201 137448.216 388875.06 137448.951 388872.045 137458.387 388873.549 137464.494 388874.523 137464.847 388874.579 137464.658 388876.329 137465.134 388876.381 137462.955 388896.557 137463.549 388896.622 137466.817 388896.974 137465.654 388907.795 137462.381 388907.442 137462.221 388908.925 137468.999 388909.657 137468.935 388910.204 137472.585 388910.567 137472.124 388915.417</gml:posList>
                                    </gml:LineStringSegment>
                                 </gml:segments>
                              </gml:Curve>
                           </gml:curveMember>
                        </gml:Ring>
                     </gml:exterior>
                  </gml:PolygonPatch>
               </gml:patches>
            </gml:Surface>
         </imro:geometrie>
      </imro:Bouwaanduiding>
   </imro:featureMember>
   <imro:featureMember>
      <imro:Bouwaanduiding gml:id="NL.IMRO.a88d4e5ba3294db2b42ceefe0d4d0df0">
         <imro:identificatie>
            <imro:NEN3610ID>
               <imro:namespace>NL.IMRO</imro:namespace>
               <imro:lokaalID>a88d4e5ba3294db2b42ceefe0d4d0df0</imro:lokaalID>
            </imro:NEN3610ID>
         </imro:identificatie>
         <imro:typePlanobject>bouwaanduiding</imro:typePlanobject>
         <imro:plangebied xlink:href="#NL.IMRO.0798.BPDoornboom-ON01" />
         <imro:bestemmingsvlak xlink:href="#NL.IMRO.9cacbcca5a9e412faeaf47df4d75173d" />
         <imro:naam>aaneengebouwd</imro:naam>
         <imro:labelInfo>
            <imro:Label>
               <imro:tekst>[aeg]</imro:tekst>
               <imro:positie>
                  <imro:Labelpositie>
                     <imro:plaatsingspunt>
                        <gml:Point srsName="urn:ogc:def:crs:EPSG::28992" gml:id="id.a4417b59e5df42b99e33be65328b5e25">
                           <gml:pos>137527.401 388930.294</gml:pos>
                        </gml:Point>
                     </imro:plaatsingspunt>
                  </imro:Labelpositie>
               </imro:positie>
            </imro:Label>
         </imro:labelInfo>
         <imro:geometrie>
            <gml:Surface gml:id="id.b2589c69dd1d43c092e893169e365ebf" srsName="urn:ogc:def:crs:EPSG::28992">
               <gml:patches>
                  <gml:PolygonPatch>
                     <gml:exterior>
                        <gml:LinearRing>
                           <gml:posList>137512.59 388934.231 137514.655 388912.534 137533.472 388914.326 137531.507 388934.964 137531.083 388934.924 137530.939 388936.753 137512.59 388934.231</gml:posList>
                        </gml:LinearRing>
                     </gml:exterior>
                  </gml:PolygonPatch>
               </gml:patches>
            </gml:Surface>
         </imro:geometrie>
      </imro:Bouwaanduiding>
   </imro:featureMember>
   <imro:featureMember>
      <imro:Maatvoering gml:id="NL.IMRO.63e98a6916aa41da9910e066923d988a">
         <imro:identificatie>
            <imro:NEN3610ID>
               <imro:namespace>NL.IMRO</imro:namespace>
               <imro:lokaalID>63e98a6916aa41da9910e066923d988a</imro:lokaalID>
            </imro:NEN3610ID>
         </imro:identificatie>
         <imro:typePlanobject>maatvoering</imro:typePlanobject>
         <imro:plangebied xlink:href="#NL.IMRO.0798.BPDoornboom-ON01" />
         <imro:bestemmingsvlak xlink:href="#NL.IMRO.9cacbcca5a9e412faeaf47df4d75173d" />
         <imro:naam>maximum aantal wooneenheden</imro:naam>
      